package io.vigil.training.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line (RFC 4180 quoting, no line breaks inside fields) and pulls out only the columns the model needs,
 * parsing numbers straight from the line. An empty cell is a missing value (NaN).
 */
final class CsvRowReader {

    private final String[] columnNames;
    /** For each input column, the model feature it feeds, or -1. */
    private final int[] featureOfColumn;
    private final int idColumn;
    private final int lastNeeded;

    CsvRowReader(List<String> header, int[] columnOfFeature, int idColumn) {
        this.columnNames = header.toArray(String[]::new);
        this.featureOfColumn = new int[header.size()];
        java.util.Arrays.fill(featureOfColumn, -1);
        int last = idColumn;
        for (int f = 0; f < columnOfFeature.length; f++) {
            featureOfColumn[columnOfFeature[f]] = f;
            last = Math.max(last, columnOfFeature[f]);
        }
        this.idColumn = idColumn;
        this.lastNeeded = last;
    }

    /** Parses the header line into column names. */
    static List<String> header(String line) {
        List<String> names = new ArrayList<>();
        int[] pos = {0};
        StringBuilder sb = new StringBuilder();
        while (pos[0] <= line.length()) {
            names.add(field(line, pos, sb, 1).trim());
        }
        if (!names.isEmpty() && names.get(0).startsWith("\uFEFF")) {
            names.set(0, names.get(0).substring(1));
        }
        return names;
    }

    /**
     * Reads the features of one line into {@code x}; returns the id cell (or null when there is no id column).
     *
     * @throws InputException naming the line and column of a malformed value
     */
    String read(String line, long lineNumber, float[] x, StringBuilder scratch) {
        int[] pos = {0};
        String id = null;
        int column = 0;
        while (column <= lastNeeded) {
            if (pos[0] > line.length()) {
                throw new InputException("line " + lineNumber + ": has " + column + " columns, column '"
                        + columnNames[column] + "' (column " + (column + 1) + ") is missing");
            }
            int feature = featureOfColumn[column];
            if (feature >= 0 || column == idColumn) {
                String cell = field(line, pos, scratch, lineNumber);
                if (column == idColumn) {
                    id = cell;
                }
                if (feature >= 0) {
                    x[feature] = number(cell, lineNumber, column);
                }
            } else {
                skip(line, pos, lineNumber);
            }
            column++;
        }
        return id;
    }

    private float number(String cell, long lineNumber, int column) {
        String s = cell.trim();
        if (s.isEmpty()) {
            return Float.NaN;
        }
        try {
            float v = Float.parseFloat(s);
            if (Float.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputException("line " + lineNumber + ", column '" + columnNames[column] + "': '" + abbreviate(s)
                    + "' is not a number");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** Reads the field starting at pos[0]; leaves pos[0] after its separator (line.length() + 1 at the end). */
    private static String field(String line, int[] pos, StringBuilder sb, long lineNumber) {
        int i = pos[0];
        int n = line.length();
        if (i < n && line.charAt(i) == '"') {
            sb.setLength(0);
            i++;
            while (true) {
                if (i >= n) {
                    throw new InputException("line " + lineNumber + ": unterminated quoted field");
                }
                char c = line.charAt(i);
                if (c == '"') {
                    if (i + 1 < n && line.charAt(i + 1) == '"') {
                        sb.append('"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                sb.append(c);
                i++;
            }
            if (i < n && line.charAt(i) != ',') {
                throw new InputException("line " + lineNumber + ": text after a closing quote");
            }
            pos[0] = i + 1;
            return sb.toString();
        }
        int end = line.indexOf(',', i);
        if (end < 0) {
            end = n;
        }
        pos[0] = end + 1;
        return line.substring(i, end);
    }

    private static void skip(String line, int[] pos, long lineNumber) {
        int i = pos[0];
        if (i < line.length() && line.charAt(i) == '"') {
            field(line, pos, new StringBuilder(), lineNumber);
            return;
        }
        int end = line.indexOf(',', i);
        pos[0] = (end < 0 ? line.length() : end) + 1;
    }
}
