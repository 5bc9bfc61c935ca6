package dev.controlroom.store;

import dev.controlroom.domain.OutputBatch;

import java.io.ByteArrayOutputStream;
import java.sql.PreparedStatement;
import java.util.List;
import org.jooq.impl.DSL;

import static dev.controlroom.store.schema.Tables.SESSIONS;
import static dev.controlroom.store.schema.Tables.SESSION_OUTPUT_CHUNKS;
import static dev.controlroom.store.schema.Tables.SESSION_OUTPUT_LINES;

/** Every byte a session printed, as raw chunks and as clean lines. */
public final class OutputStore {
    /** Lines per stored block, and characters: big enough to make rows cheap, small enough to read a screen's worth fast. */
    static final int BLOCK_LINES = 256;
    static final int BLOCK_CHARS = 64 * 1024;

    private final Database db;

    OutputStore(Database db) {
        this.db = db;
    }

    /**
     * Stores batches of any sessions in one transaction. Plain JDBC batches here: output is the
     * heaviest write of the application (hundreds of megabytes from a chatty agent), and a
     * prepared statement reused for every row is several times faster than building SQL per batch.
     */
    public void append(List<OutputBatch> batches) {
        if (batches.stream().allMatch(OutputBatch::isEmpty)) {
            return;
        }
        db.write(dsl -> {
            dsl.connection(c -> {
                try (PreparedStatement chunks = c.prepareStatement(
                        "INSERT INTO session_output_chunks (session_id, seq, byte_offset, data, at) VALUES (?, ?, ?, ?, ?)");
                     PreparedStatement lines = c.prepareStatement(
                             "INSERT INTO session_output_lines (session_id, first_line, line_count, byte_offset, text, at) VALUES (?, ?, ?, ?, ?, ?)");
                     PreparedStatement totals = c.prepareStatement("UPDATE sessions SET output_bytes = output_bytes + ?, "
                             + "output_lines = output_lines + ?, last_output_at = COALESCE(?, last_output_at) WHERE id = ?")) {
                    for (OutputBatch b : batches) {
                        if (b.isEmpty()) {
                            continue;
                        }
                        long bytes = 0;
                        long lastAt = 0;
                        for (OutputBatch.Chunk ch : b.chunks()) {
                            chunks.setString(1, b.sessionId());
                            chunks.setInt(2, ch.seq());
                            chunks.setLong(3, ch.offset());
                            chunks.setBytes(4, ch.data());
                            chunks.setLong(5, ch.atMillis());
                            chunks.addBatch();
                            bytes += ch.data().length;
                            lastAt = Math.max(lastAt, ch.atMillis());
                        }
                        List<OutputBatch.Line> all = b.lines();
                        for (int from = 0; from < all.size(); ) {
                            int to = from;
                            int chars = 0;
                            while (to < all.size() && to - from < BLOCK_LINES && chars < BLOCK_CHARS
                                    && (to == from || all.get(to).lineNo() == all.get(to - 1).lineNo() + 1)) {
                                chars += all.get(to).text().length() + 1;
                                to++;
                            }
                            StringBuilder text = new StringBuilder(chars);
                            for (int i = from; i < to; i++) {
                                if (i > from) {
                                    text.append('\n');
                                }
                                text.append(all.get(i).text());
                            }
                            lines.setString(1, b.sessionId());
                            lines.setLong(2, all.get(from).lineNo());
                            lines.setInt(3, to - from);
                            lines.setLong(4, all.get(from).offset());
                            lines.setString(5, text.toString());
                            lines.setLong(6, all.get(to - 1).atMillis());
                            lines.addBatch();
                            from = to;
                        }
                        totals.setLong(1, bytes);
                        totals.setLong(2, b.lines().size());
                        if (lastAt > 0) {
                            totals.setLong(3, lastAt);
                        } else {
                            totals.setNull(3, java.sql.Types.BIGINT);
                        }
                        totals.setString(4, b.sessionId());
                        totals.addBatch();
                    }
                    chunks.executeBatch();
                    lines.executeBatch();
                    totals.executeBatch();
                }
            });
            return null;
        });
    }

    /** Where a session's stored output ends: the next chunk number, byte offset and line number. */
    public record Position(int nextSeq, long nextOffset, long nextLine) {
        public static final Position START = new Position(0, 0, 0);
    }

    /** Where the next process of a session continues its output (an AI session runs one process per iteration). */
    public Position end(String sessionId) {
        return db.read(dsl -> {
            var chunk = dsl.select(SESSION_OUTPUT_CHUNKS.SEQ, SESSION_OUTPUT_CHUNKS.BYTE_OFFSET, DSL.binaryLength(SESSION_OUTPUT_CHUNKS.DATA))
                    .from(SESSION_OUTPUT_CHUNKS).where(SESSION_OUTPUT_CHUNKS.SESSION_ID.eq(sessionId))
                    .orderBy(SESSION_OUTPUT_CHUNKS.SEQ.desc()).limit(1).fetchOptional();
            Long nextLine = dsl.select(DSL.max(SESSION_OUTPUT_LINES.FIRST_LINE.plus(SESSION_OUTPUT_LINES.LINE_COUNT)))
                    .from(SESSION_OUTPUT_LINES).where(SESSION_OUTPUT_LINES.SESSION_ID.eq(sessionId)).fetchOne(0, Long.class);
            long next = nextLine == null ? 0 : nextLine;
            return chunk.map(c -> new Position(c.value1() + 1, c.value2() + c.value3(), next)).orElse(new Position(0, 0, next));
        });
    }

    /** Clean lines from {@code fromLine} (0-based), at most {@code limit}. */
    public List<String> lines(String sessionId, long fromLine, int limit) {
        return db.read(dsl -> {
            List<String> out = new java.util.ArrayList<>();
            var blocks = dsl.select(SESSION_OUTPUT_LINES.FIRST_LINE, SESSION_OUTPUT_LINES.TEXT).from(SESSION_OUTPUT_LINES)
                    .where(SESSION_OUTPUT_LINES.SESSION_ID.eq(sessionId),
                            SESSION_OUTPUT_LINES.FIRST_LINE.plus(SESSION_OUTPUT_LINES.LINE_COUNT).gt((int) fromLine))
                    .orderBy(SESSION_OUTPUT_LINES.FIRST_LINE).fetchLazy();
            try (blocks) {
                for (var block : blocks) {
                    long lineNo = block.value1();
                    for (String line : block.value2().split("\n", -1)) {
                        if (lineNo++ >= fromLine) {
                            out.add(line);
                            if (out.size() >= limit) {
                                return out;
                            }
                        }
                    }
                }
            }
            return out;
        });
    }

    /** The raw bytes of the whole session, in order. */
    public byte[] raw(String sessionId) {
        return db.read(dsl -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            dsl.select(SESSION_OUTPUT_CHUNKS.DATA).from(SESSION_OUTPUT_CHUNKS).where(SESSION_OUTPUT_CHUNKS.SESSION_ID.eq(sessionId))
                    .orderBy(SESSION_OUTPUT_CHUNKS.SEQ).forEach(r -> out.writeBytes(r.value1()));
            return out.toByteArray();
        });
    }

    /** The last bytes of a session's raw output and where they start and end in the whole of it. */
    public record RawTail(long fromOffset, byte[] bytes) {
        public long endOffset() {
            return fromOffset + bytes.length;
        }
    }

    /**
     * About the last {@code maxBytes} of a session's raw output, starting after a line feed so a
     * viewer does not begin in the middle of a line or an escape sequence (unless there is none).
     */
    public RawTail rawTail(String sessionId, int maxBytes) {
        return db.read(dsl -> {
            java.util.ArrayDeque<byte[]> chunks = new java.util.ArrayDeque<>();
            long first = 0;
            long total = 0;
            var rows = dsl.select(SESSION_OUTPUT_CHUNKS.BYTE_OFFSET, SESSION_OUTPUT_CHUNKS.DATA).from(SESSION_OUTPUT_CHUNKS)
                    .where(SESSION_OUTPUT_CHUNKS.SESSION_ID.eq(sessionId)).orderBy(SESSION_OUTPUT_CHUNKS.SEQ.desc()).fetchLazy();
            try (rows) {
                for (var r : rows) {
                    chunks.addFirst(r.value2());
                    first = r.value1();
                    total += r.value2().length;
                    if (total >= maxBytes) {
                        break;
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
            chunks.forEach(out::writeBytes);
            byte[] all = out.toByteArray();
            int cut = 0;
            if (all.length > maxBytes) {
                cut = all.length - maxBytes;
                int lf = cut;
                while (lf < all.length && all[lf] != '\n') {
                    lf++;
                }
                cut = lf < all.length ? lf + 1 : cut;
            }
            return new RawTail(first + cut, java.util.Arrays.copyOfRange(all, cut, all.length));
        });
    }

    public long lineCount(String sessionId) {
        return db.read(dsl -> {
            var sum = dsl.select(DSL.sum(SESSION_OUTPUT_LINES.LINE_COUNT)).from(SESSION_OUTPUT_LINES)
                    .where(SESSION_OUTPUT_LINES.SESSION_ID.eq(sessionId)).fetchOne(0, Long.class);
            return sum == null ? 0L : sum;
        });
    }
}
