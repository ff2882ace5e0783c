package org.dqlog.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for local use ({@code dqlog broker --tls-self-signed}), made by the
 * JDK's {@code keytool} and {@link KeyStore} rather than by hand-written code: in an owner-only
 * folder (0700), the broker's key and certificate ({@value #KEY_STORE}), the certificate alone for
 * clients to trust ({@value #TRUST_STORE}), and the random password of both ({@value
 * #PASSWORD_FILE}), each 0600. The password reaches keytool through its file, never on a command
 * line.
 *
 * <p>Made once and kept: a broker restarted on the same folder serves the same certificate, so
 * its clients keep trusting it. Delete the folder for a new one.
 *
 * <p>Not thread-safe: one broker start uses it once.
 *
 * @param keyStore     the broker's key and certificate (PKCS12)
 * @param trustStore   the certificate alone (PKCS12), for {@code DQLOG_TRUST_STORE}
 * @param passwordFile the password of both stores
 */
public record SelfSignedTls(Path keyStore, Path trustStore, Path passwordFile) {

    public static final String KEY_STORE = "broker.p12";
    public static final String TRUST_STORE = "trust.p12";
    public static final String PASSWORD_FILE = "store.pass";
    /** Validity of a new certificate, in days: {@value}. */
    public static final int VALIDITY_DAYS = 825;
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofMinutes(2);
    private static final String ALIAS = "dqlog-broker";

    /**
     * The stores in {@code dir}, made now (for {@code localhost}, 127.0.0.1 and {@code host} unless
     * it is a wildcard address) if any of them is missing.
     *
     * @throws IOException naming what keytool could not do
     */
    public static SelfSignedTls inFolder(Path dir, String host) throws IOException {
        Path folder = dir.toAbsolutePath().normalize();
        SelfSignedTls tls = new SelfSignedTls(folder.resolve(KEY_STORE), folder.resolve(TRUST_STORE),
                folder.resolve(PASSWORD_FILE));
        if (Files.isRegularFile(tls.keyStore) && Files.isRegularFile(tls.trustStore)
                && Files.isRegularFile(tls.passwordFile)) {
            return tls;
        }
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        for (Path stale : List.of(tls.keyStore, tls.trustStore, tls.passwordFile)) {
            Files.deleteIfExists(stale);
        }
        Files.createFile(tls.passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tls.passwordFile, randomPassword() + "\n", StandardCharsets.UTF_8);
        tls.make(host);
        return tls;
    }

    /** The password of both stores (the file's first line). */
    public char[] password() throws IOException {
        return Files.readAllLines(passwordFile, StandardCharsets.UTF_8).get(0).toCharArray();
    }

    private void make(String host) throws IOException {
        keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "SAN=" + subjectAlternativeNames(host), "-validity", Integer.toString(VALIDITY_DAYS),
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass:file", passwordFile.toString());
        Files.setPosixFilePermissions(keyStore, PosixFilePermissions.fromString("rw-------"));
        writeTrustStore();
    }

    /** The key store's certificate alone, in a PKCS12 store of its own (the JDK's KeyStore, no second keytool run). */
    private void writeTrustStore() throws IOException {
        char[] password = password();
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, password);
            trust.setCertificateEntry(ALIAS, keys.getCertificate(ALIAS));
            Files.createFile(trustStore, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, password);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    static String subjectAlternativeNames(String host) {
        String names = "dns:localhost,ip:127.0.0.1";
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost")
                || host.equals("127.0.0.1")) {
            return names;
        }
        boolean address = host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":");
        return names + (address ? ",ip:" : ",dns:") + host;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(output);
            if (!process.waitFor(KEYTOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish within " + KEYTOOL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool " + args[0] + " ran", e);
        }
        if (process.exitValue() != 0) {
            // keytool's own words; the password went through a file, so they cannot hold it
            throw new IOException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
    }
}
