package io.vigil.features.contract;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code vigil features check}: parses every feature contract file and checks that each version of a feature set is
 * compatible with the version before it, and (with {@code --base DIR}, the contract files of the base commit) that no
 * published version was changed in a breaking way or removed. Exit 0: all compatible; 1: a breaking change; 2: a file
 * that is no valid contract, or bad usage.
 */
public final class FeaturesCheck {

    public static final int OK = 0;
    public static final int BREAKING = 1;
    public static final int INVALID = 2;

    private FeaturesCheck() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path base = null;
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--base".equals(args[i]) && i + 1 < args.length) {
                base = Path.of(args[++i]);
            } else if (args[i].startsWith("-")) {
                err.println("usage: features-check [--base DIR] FILE_OR_DIR...");
                return INVALID;
            } else {
                inputs.add(Path.of(args[i]));
            }
        }
        if (inputs.isEmpty()) {
            err.println("usage: features-check [--base DIR] FILE_OR_DIR...");
            return INVALID;
        }
        FeatureSetParser parser = new FeatureSetParser();
        Map<String, TreeMap<Integer, FeatureSet>> current = new TreeMap<>();
        Map<String, TreeMap<Integer, FeatureSet>> published = new TreeMap<>();
        try {
            if (!load(parser, files(inputs), current, err)) {
                return INVALID;
            }
            if (base != null && Files.isDirectory(base) && !load(parser, files(List.of(base)), published, err)) {
                err.println("features check: the base contracts do not parse; comparing versions within the tree only");
                published.clear();
            }
        } catch (IOException e) {
            err.println("features check: " + e.getMessage());
            return INVALID;
        }
        boolean broken = false;
        for (var set : current.entrySet()) {
            FeatureSet prev = null;
            for (FeatureSet fs : set.getValue().values()) {
                out.println(fs.id() + ": " + fs.features().size() + " features");
                if (prev != null) {
                    broken |= report(out, prev.id() + " -> " + fs.id(), CompatibilityChecker.compare(prev, fs));
                }
                prev = fs;
            }
        }
        for (var set : published.entrySet()) {
            for (FeatureSet was : set.getValue().values()) {
                FeatureSet now = current.getOrDefault(set.getKey(), new TreeMap<>()).get(was.version());
                if (now == null) {
                    out.println("BREAKING " + was.id() + ": published version removed");
                    broken = true;
                } else {
                    broken |= report(out, was.id() + " (base) -> " + now.id() + " (tree)",
                            CompatibilityChecker.compare(was, now));
                }
            }
        }
        out.println(broken ? "features check: BREAKING changes found" : "features check: all feature sets compatible");
        return broken ? BREAKING : OK;
    }

    private static boolean report(PrintStream out, String title, List<CompatibilityChecker.Change> changes) {
        if (changes.isEmpty()) {
            return false;
        }
        out.println(title + ":");
        changes.forEach(c -> out.println("  " + c));
        return CompatibilityChecker.breaking(changes);
    }

    private static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    private static boolean load(FeatureSetParser parser, List<Path> files,
            Map<String, TreeMap<Integer, FeatureSet>> into, PrintStream err) throws IOException {
        boolean ok = true;
        for (Path f : files) {
            try {
                FeatureSet fs = parser.parse(f);
                FeatureSet dup = into.computeIfAbsent(fs.name(), k -> new TreeMap<>()).put(fs.version(), fs);
                if (dup != null) {
                    err.println(f + ": " + fs.id() + " is defined twice");
                    ok = false;
                }
            } catch (InvalidContractException e) {
                err.println(f + ": " + e.getMessage());
                ok = false;
            }
        }
        return ok;
    }
}
