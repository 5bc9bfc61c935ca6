package dev.controlroom.store;

import dev.controlroom.domain.OutputBatch;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.jooq.impl.DSL;

import static dev.controlroom.store.schema.Tables.SESSIONS;
import static dev.controlroom.store.schema.Tables.SESSION_OUTPUT_CHUNKS;
import static dev.controlroom.store.schema.Tables.SESSION_OUTPUT_LINES;

/** Every byte a session printed, as raw chunks and as clean lines. */
public final class OutputStore {
    private final Database db;

    OutputStore(Database db) {
        this.db = db;
    }

    /** Stores batches of any sessions in one transaction. */
    public void append(List<OutputBatch> batches) {
        if (batches.stream().allMatch(OutputBatch::isEmpty)) {
            return;
        }
        db.write(dsl -> {
            for (OutputBatch b : batches) {
                if (b.isEmpty()) {
                    continue;
                }
                long bytes = 0;
                long lastAt = 0;
                if (!b.chunks().isEmpty()) {
                    var insert = dsl.insertInto(SESSION_OUTPUT_CHUNKS, SESSION_OUTPUT_CHUNKS.SESSION_ID, SESSION_OUTPUT_CHUNKS.SEQ,
                            SESSION_OUTPUT_CHUNKS.BYTE_OFFSET, SESSION_OUTPUT_CHUNKS.DATA, SESSION_OUTPUT_CHUNKS.AT);
                    for (OutputBatch.Chunk c : b.chunks()) {
                        insert = insert.values(b.sessionId(), c.seq(), c.offset(), c.data(), c.atMillis());
                        bytes += c.data().length;
                        lastAt = Math.max(lastAt, c.atMillis());
                    }
                    insert.execute();
                }
                if (!b.lines().isEmpty()) {
                    var insert = dsl.insertInto(SESSION_OUTPUT_LINES, SESSION_OUTPUT_LINES.SESSION_ID, SESSION_OUTPUT_LINES.LINE_NO,
                            SESSION_OUTPUT_LINES.BYTE_OFFSET, SESSION_OUTPUT_LINES.TEXT, SESSION_OUTPUT_LINES.AT);
                    for (OutputBatch.Line l : b.lines()) {
                        insert = insert.values(b.sessionId(), (int) l.lineNo(), l.offset(), l.text(), l.atMillis());
                    }
                    insert.execute();
                }
                var update = dsl.update(SESSIONS)
                        .set(SESSIONS.OUTPUT_BYTES, SESSIONS.OUTPUT_BYTES.plus(bytes))
                        .set(SESSIONS.OUTPUT_LINES, SESSIONS.OUTPUT_LINES.plus((long) b.lines().size()));
                if (lastAt > 0) {
                    update = update.set(SESSIONS.LAST_OUTPUT_AT, lastAt);
                }
                update.where(SESSIONS.ID.eq(b.sessionId())).execute();
            }
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
            Integer lastLine = dsl.select(DSL.max(SESSION_OUTPUT_LINES.LINE_NO)).from(SESSION_OUTPUT_LINES)
                    .where(SESSION_OUTPUT_LINES.SESSION_ID.eq(sessionId)).fetchOne(0, Integer.class);
            return chunk.map(c -> new Position(c.value1() + 1, c.value2() + c.value3(), lastLine == null ? 0 : lastLine + 1))
                    .orElse(new Position(0, 0, lastLine == null ? 0 : lastLine + 1));
        });
    }

    /** Clean lines from {@code fromLine} (0-based), at most {@code limit}. */
    public List<String> lines(String sessionId, long fromLine, int limit) {
        return db.read(dsl -> dsl.select(SESSION_OUTPUT_LINES.TEXT).from(SESSION_OUTPUT_LINES)
                .where(SESSION_OUTPUT_LINES.SESSION_ID.eq(sessionId), SESSION_OUTPUT_LINES.LINE_NO.ge((int) fromLine))
                .orderBy(SESSION_OUTPUT_LINES.LINE_NO).limit(limit).fetch(SESSION_OUTPUT_LINES.TEXT));
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

    public long lineCount(String sessionId) {
        return db.read(dsl -> (long) dsl.fetchCount(SESSION_OUTPUT_LINES, SESSION_OUTPUT_LINES.SESSION_ID.eq(sessionId)));
    }
}
