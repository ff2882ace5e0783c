package org.dqlog.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust store and key store for {@code ssl://} brokers. Without a trust store the JDK's default
 * trust (cacerts, or {@code javax.net.ssl.trustStore}) applies; a key store is only needed when
 * the broker asks for client certificates. Store types default to PKCS12, which on Java 11+
 * also reads JKS files.
 *
 * <p>Immutable and thread-safe; {@link #sslContext()} builds the context once and caches it.
 * Passwords never appear in {@link #toString()} or exception texts.
 */
public final class TlsSettings {

    public static final String DEFAULT_STORE_TYPE = "PKCS12";
    public static final TlsSettings DEFAULT = builder().build();

    private final String trustStore;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final String keyStore;
    private final String keyStorePassword;
    private final String keyStoreType;
    private volatile SSLContext context;

    private TlsSettings(Builder b) {
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.trustStoreType = b.trustStoreType == null ? DEFAULT_STORE_TYPE : b.trustStoreType;
        this.keyStore = b.keyStore;
        this.keyStorePassword = b.keyStorePassword;
        this.keyStoreType = b.keyStoreType == null ? DEFAULT_STORE_TYPE : b.keyStoreType;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Path of the trust store, or null for the JDK default. */
    public String trustStore() {
        return trustStore;
    }

    /** Path of the key store, or null for none. */
    public String keyStore() {
        return keyStore;
    }

    /**
     * The SSL context for these settings, built on first use.
     *
     * @throws IOException naming the store file when it cannot be read or opened
     */
    public SSLContext sslContext() throws IOException {
        SSLContext result = context;
        if (result == null) {
            synchronized (this) {
                result = context;
                if (result == null) {
                    result = build();
                    context = result;
                }
            }
        }
        return result;
    }

    private SSLContext build() throws IOException {
        try {
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load("trust store", trustStore, trustStoreType, trustStorePassword));
            }
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load("key store", keyStore, keyStoreType, keyStorePassword), chars(keyStorePassword));
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from " + this + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static KeyStore load(String what, String path, String type, String password) throws IOException {
        Path file = Paths.get(path);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, chars(password));
            return store;
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read the " + what + " " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read the " + what + " " + file + ": permission denied", e);
        } catch (IOException e) {
            // PKCS12 and JKS say a wrong password with an UnrecoverableKeyException as the cause
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IOException("cannot read the " + what + " " + file + ": wrong password (or not a " + type
                        + " store)", e);
            }
            // The JDK's messages name no secrets, so keep them.
            throw new IOException("cannot read the " + what + " " + file + ": " + (e.getMessage() == null
                    ? "not a " + type + " store" : e.getMessage() + " (type " + type + ")"), e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the " + what + " " + file + " (type " + type + "): " + e.getMessage(), e);
        }
    }

    /**
     * Builds the context now, so that a store that cannot be read is a configuration error at
     * start rather than a connection failure retried forever.
     *
     * @throws IllegalArgumentException naming the store file and whether it is missing, unreadable
     *     or its password is wrong
     */
    public void check() {
        if (trustStore == null && keyStore == null) {
            return;
        }
        try {
            sslContext();
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    @Override
    public String toString() {
        return "TlsSettings[trustStore=" + (trustStore == null ? "JDK default" : trustStore + " (" + trustStoreType + ")")
                + ", keyStore=" + (keyStore == null ? "none" : keyStore + " (" + keyStoreType + ")") + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsSettings)) {
            return false;
        }
        TlsSettings t = (TlsSettings) o;
        return Objects.equals(trustStore, t.trustStore) && Objects.equals(trustStorePassword, t.trustStorePassword)
                && trustStoreType.equals(t.trustStoreType) && Objects.equals(keyStore, t.keyStore)
                && Objects.equals(keyStorePassword, t.keyStorePassword) && keyStoreType.equals(t.keyStoreType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(trustStore, trustStoreType, keyStore, keyStoreType);
    }

    /** Collects the settings; null leaves a value at its default. Not thread-safe. */
    public static final class Builder {
        private String trustStore;
        private String trustStorePassword;
        private String trustStoreType;
        private String keyStore;
        private String keyStorePassword;
        private String keyStoreType;

        public Builder trustStore(String path) {
            this.trustStore = path;
            return this;
        }

        public Builder trustStorePassword(String password) {
            this.trustStorePassword = password;
            return this;
        }

        public Builder trustStoreType(String type) {
            this.trustStoreType = type;
            return this;
        }

        public Builder keyStore(String path) {
            this.keyStore = path;
            return this;
        }

        public Builder keyStorePassword(String password) {
            this.keyStorePassword = password;
            return this;
        }

        public Builder keyStoreType(String type) {
            this.keyStoreType = type;
            return this;
        }

        public TlsSettings build() {
            return new TlsSettings(this);
        }
    }
}
