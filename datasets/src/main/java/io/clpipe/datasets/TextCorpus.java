package io.clpipe.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A folder of plain UTF-8 text documents ({@code *.txt}) as one domain, e.g. the rendered man pages
 * {@code scripts/fetch-data.sh manpages-en} / {@code manpages-de} writes. Documents come in name
 * order; {@link #split(int)} assigns whole documents to validation by a hash of their name, so the
 * split is the same on every machine and no document straddles it.
 */
public final class TextCorpus {

    /** English man pages (Debian manpages + manpages-dev). */
    public static final String MANPAGES_EN = "manpages-en";
    /** German man pages (Debian manpages-de). */
    public static final String MANPAGES_DE = "manpages-de";

    private final String domain;
    private final List<TextDocument> documents;

    private TextCorpus(String domain, List<TextDocument> documents) {
        this.domain = domain;
        this.documents = List.copyOf(documents);
    }

    /** The verified dataset {@code name} of the cache (e.g. {@link #MANPAGES_EN}), as domain {@code domain}. */
    public static TextCorpus load(DataDirectory data, String name, String domain) {
        return read(data.dataset(name), domain);
    }

    /** Every {@code *.txt} file of {@code dir}, in name order; a file that is not valid UTF-8 is an error. */
    public static TextCorpus read(Path dir, String domain) {
        List<TextDocument> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().toList()) {
                String text = decode(file, Files.readAllBytes(file));
                if (!text.isBlank()) {
                    docs.add(new TextDocument(file.getFileName().toString(), text));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading text corpus " + dir, e);
        }
        if (docs.isEmpty()) {
            throw new DatasetMissingException("text corpus " + dir.toAbsolutePath() + " has no non-empty *.txt documents");
        }
        return new TextCorpus(domain, docs);
    }

    private static String decode(Path file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not valid UTF-8", e);
        }
    }

    public String domain() {
        return domain;
    }

    public List<TextDocument> documents() {
        return documents;
    }

    public long utf8Bytes() {
        return documents.stream().mapToLong(TextDocument::utf8Bytes).sum();
    }

    /** Training and validation documents: a document is validation when CRC-32 of its name mod 1000 is below {@code validationPerMille}. */
    public Split split(int validationPerMille) {
        if (validationPerMille < 0 || validationPerMille > 1000) {
            throw new IllegalArgumentException("validationPerMille must be within [0, 1000], got " + validationPerMille);
        }
        List<TextDocument> train = new ArrayList<>();
        List<TextDocument> validation = new ArrayList<>();
        for (TextDocument d : documents) {
            CRC32 crc = new CRC32();
            crc.update(d.name().getBytes(StandardCharsets.UTF_8));
            (crc.getValue() % 1000 < validationPerMille ? validation : train).add(d);
        }
        return new Split(train, validation);
    }

    /** Documents on each side of a split, in name order. */
    public record Split(List<TextDocument> train, List<TextDocument> validation) {
        public Split {
            train = List.copyOf(train);
            validation = List.copyOf(validation);
        }
    }
}
