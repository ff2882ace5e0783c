package org.dqlog.demo;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Random;
import org.dqlog.demo.DemoLog.Severity;

/**
 * Realistic logs of two data-quality services: the han web display (histogram assessment and
 * web pages) and the Tier-0 histogram merging with the DCS calculator. Each {@link #next} logs
 * one record for one run and stream, with the run and stream in the MDC; WARN is occasional;
 * {@link #fail} logs an ERROR with a chained exception (which the appender turns into a panic).
 *
 * <p>Not thread-safe: one demo loop drives it.
 */
final class DqScenario {

    static final List<Integer> RUNS = List.of(261070, 261072, 261105, 261106, 261213);
    static final List<String> STREAMS = List.of("physics_Main", "express_express", "physics_MinBias",
            "calibration_LArCells");

    /** Which service this scenario plays. */
    enum Service { WEB_DISPLAY, HISTOGRAM_MERGE }

    private final Service service;
    private final Random random;
    private final DemoLog log;

    DqScenario(Service service, Random random, DemoLog log) {
        this.service = service;
        this.random = random;
        this.log = log;
    }

    /** One ordinary record: mostly INFO, some DEBUG, about one in fifty a WARN. */
    void next() {
        int run = pick(RUNS);
        String stream = pick(STREAMS);
        log.context(Integer.toString(run), stream);
        int dice = random.nextInt(100);
        if (service == Service.WEB_DISPLAY) {
            webDisplay(run, stream, dice);
        } else {
            histogramMerge(run, stream, dice);
        }
    }

    private void webDisplay(int run, String stream, int dice) {
        String han = "org.atlas.dq.han.HanRunner";
        String web = "org.atlas.dq.webdisplay.DisplayUpdater";
        if (dice < 25) {
            log.log(han, Severity.INFO, "Run " + run + " " + stream + ": han config collisions_run.1.0."
                    + (40 + random.nextInt(20)) + ".hcfg loaded, " + (1700 + random.nextInt(300)) + " assessments", null);
        } else if (dice < 45) {
            log.log(han, Severity.INFO, "Run " + run + " " + stream + ": assessed " + (800 + random.nextInt(900))
                    + " histograms in " + seconds(5, 60) + " s: " + random.nextInt(20) + " yellow, "
                    + random.nextInt(3) + " red", null);
        } else if (dice < 70) {
            log.log(web, Severity.INFO, "Web display updated for run " + run + " " + stream + ": "
                    + (200 + random.nextInt(200)) + " pages in " + seconds(2, 30) + " s", null);
        } else if (dice < 80) {
            log.log(web, Severity.DEBUG, "Fetching HIST file /eos/atlas/atlastier0/rucio/data15_13TeV/" + stream
                    + "/00" + run + "/data15_13TeV.00" + run + "." + stream + ".merge.HIST.f611_h45", null);
        } else if (dice < 98) {
            log.log("org.atlas.dq.flags.DefectUploader", Severity.INFO, "Run " + run + ": DQ flags " + (3 + random.nextInt(3))
                    + " green, " + random.nextInt(2) + " yellow (LAr EMB), 0 red; uploaded to COOL", null);
        } else if (dice < 99) {
            log.log(han, Severity.WARN, "Run " + run + " " + stream + ": histogram /Muon/MuonSegments/Overview/"
                    + "N_Segments missing in input; assessment skipped", null);
        } else {
            log.log(web, Severity.WARN, "Web display slow for run " + run + ": page generation took "
                    + seconds(31, 90) + " s (limit 30 s)", null);
        }
    }

    private void histogramMerge(int run, String stream, int dice) {
        String merge = "org.atlas.dq.merge.HistogramMerger";
        String dcs = "org.atlas.dq.dcs.DcsCalculator";
        int files = 20 + random.nextInt(80);
        if (dice < 30) {
            log.log(merge, Severity.INFO, "Merging " + files + " histogram files for run " + run + " " + stream
                    + " (lumi blocks 1-" + (200 + random.nextInt(400)) + ")", null);
        } else if (dice < 60) {
            log.log(merge, Severity.INFO, "Merged " + files + " files into data15_13TeV.00" + run + "." + stream
                    + ".merge.HIST.f611_h45._0001.1 (" + (50 + random.nextInt(400)) + "." + random.nextInt(10)
                    + " MB) in " + seconds(10, 120) + " s", null);
        } else if (dice < 75) {
            log.log(dcs, Severity.INFO, "DCS calculator: run " + run + ", 12 subdetectors, "
                    + (200 + random.nextInt(400)) + " lumi blocks, " + random.nextInt(5) + " defects uploaded", null);
        } else if (dice < 98) {
            log.log("org.atlas.dq.merge.PostProcessing", Severity.DEBUG, "postProcessing: "
                    + pick(List.of("BJetTaggingPostProcess", "MuonTrackPostProcess", "L1CaloPostProcess"))
                    + " done for run " + run + " " + stream, null);
        } else if (dice < 99) {
            int lb = 100 + random.nextInt(300);
            log.log(dcs, Severity.WARN, "DCS calculator: no COOL data for Pixel in lumi blocks " + lb + "-" + (lb + 4)
                    + " of run " + run + "; marked UNKNOWN", null);
        } else {
            log.log(merge, Severity.WARN, "Merge of run " + run + " " + stream + ": reading _000" + random.nextInt(9)
                    + ".HIST timed out, retrying (attempt 2/3)", null);
        }
    }

    /** An ERROR with a chained exception, as a real failure logs it. */
    void fail() {
        int run = pick(RUNS);
        String stream = pick(STREAMS);
        log.context(Integer.toString(run), stream);
        if (service == Service.WEB_DISPLAY) {
            String config = "/afs/cern.ch/user/a/atlasdqm/dqmdisk/han_config/Collisions/collisions_run.1.0."
                    + (40 + random.nextInt(20)) + ".hcfg";
            IOException e = new IOException("cannot open han config " + config, new NoSuchFileException(config));
            log.log("org.atlas.dq.han.HanRunner", Severity.ERROR, "han failed for run " + run + " stream " + stream, e);
        } else {
            IllegalStateException e = new IllegalStateException("TH1F /SCT/GENERAL/hits/SCTHitsTrk has "
                    + (100 + random.nextInt(100)) + " bins in _0003 but 200 in _0001",
                    new ArithmeticException("bin edges differ"));
            log.log("org.atlas.dq.merge.HistogramMerger", Severity.ERROR, "Histogram merge failed for run " + run
                    + " stream " + stream, e);
        }
    }

    private String seconds(int min, int max) {
        return (min + random.nextInt(max - min)) + "." + random.nextInt(10);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
