package io.clpipe.datasets;

import java.nio.charset.StandardCharsets;

/**
 * One document of a text corpus.
 *
 * @param name file name within the corpus, e.g. {@code man2_read.2.txt}; unique, and what the split hashes
 * @param text its UTF-8 content
 */
public record TextDocument(String name, String text) {

    /** Length of the UTF-8 encoding: what a byte-level model trains on. */
    public int utf8Bytes() {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
