package dev.controlroom.domain;

import java.util.List;

/**
 * A slice of one session's output, ready to store: raw chunks (for replay with colours) and the
 * clean text lines completed in the same slice (for search), each addressed by byte offset.
 */
public record OutputBatch(String sessionId, List<Chunk> chunks, List<Line> lines) {

    public OutputBatch {
        chunks = List.copyOf(chunks);
        lines = List.copyOf(lines);
    }

    public boolean isEmpty() {
        return chunks.isEmpty() && lines.isEmpty();
    }

    /** Raw bytes as the process wrote them. */
    public record Chunk(int seq, long offset, byte[] data, long atMillis) {
    }

    /** One line of text, without ANSI sequences or line endings. */
    public record Line(long lineNo, long offset, String text, long atMillis) {
    }
}
