package io.clpipe.app.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small table for the console (aligned columns, the first left-aligned) and for Markdown files.
 *
 * @param header column titles
 * @param rows   cells, as many per row as there are titles
 */
record TextTable(List<String> header, List<List<String>> rows) {

    TextTable {
        header = List.copyOf(header);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells, the header " + header.size());
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    /** A number with 3 decimals, or "n/a" when undefined. */
    static String number(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** A number with 1 decimal, or "n/a" when undefined. */
    static String oneDecimal(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
    }

    String text() {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendAligned(out, header, widths);
        for (List<String> row : rows) {
            appendAligned(out, row, widths);
        }
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int c = 0; c < header.size(); c++) {
            out.append(c == 0 ? "---|" : "---:|");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }

    private static void appendAligned(StringBuilder out, List<String> cells, int[] widths) {
        out.append(' ');
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(c == 0 ? cell + pad : pad + cell).append(' ');
        }
        out.setLength(out.length() - 1);
        out.append(System.lineSeparator());
    }
}
