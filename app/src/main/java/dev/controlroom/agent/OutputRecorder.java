package dev.controlroom.agent;

import dev.controlroom.domain.Redactor;
import dev.controlroom.domain.OutputBatch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Keeps every byte of one session: collects raw chunks and splits clean lines on the reader thread,
 * and hands them over in batches to whoever drains it (an {@link OutputPersister}). Memory is
 * bounded: when too much is waiting to be stored, the reader waits, and so the process waits on
 * its terminal, instead of the heap growing.
 */
public final class OutputRecorder implements OutputSink {
    static final int MAX_PENDING_BYTES = 8 << 20;
    static final int MAX_LINE_CHARS = 64 * 1024;
    static final int CHUNK_BYTES = 256 * 1024;
    /** An open last line (a prompt without newline) is shown up to its last word once the output has paused this long ... */
    static final long QUIET_MILLIS = 150;
    /** ... and whole once it has paused this long. */
    static final long LONG_QUIET_MILLIS = 1000;
    /**
     * An open last line still open after a pause this long is told to {@link #onOpenLine}: a
     * prompt that waits for an answer ({@code read -p "Proceed? (y/n) "}) ends in no newline.
     */
    static final long OPEN_LINE_MILLIS = 400;

    private final String sessionId;
    private final Clock clock;
    private final Consumer<String> lineListener;
    private volatile Consumer<String> openLineListener = text -> { };
    /** Whether the open line as it stands was told already. */
    private boolean openLineTold;
    private final RawListener rawListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final ByteArrayOutputStream lineBytes = new ByteArrayOutputStream();
    private List<OutputBatch.Chunk> chunks = new ArrayList<>();
    /** Reads are small (a few KiB); they are joined into chunks of up to {@link #CHUNK_BYTES} so storing them stays cheap. */
    private final ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    private long chunkOffset;
    private long chunkAt;
    private List<OutputBatch.Line> lines = new ArrayList<>();
    private long pendingBytes;
    private long offset;
    private long lineStart;
    private long lineNo;
    private int seq;
    private boolean closed;
    private volatile long lastOutputMillis;
    /** Secrets come out of the raw bytes as a stream: a key split across two reads is whole when it is looked at. */
    private final Redactor.Stream rawSecrets = new Redactor.Stream();
    /** And again out of each clean line, where no escape sequence hides anything. */
    private final Redactor.Stream lineSecrets = new Redactor.Stream();

    /** @param lineListener gets each clean line as it completes, on the reader thread (live views, extraction) */
    public OutputRecorder(String sessionId, Clock clock, Consumer<String> lineListener) {
        this(sessionId, clock, lineListener, 0, 0, 0);
    }

    /** Hears the kept (redacted) raw bytes at their offset in the session's output, on the reader thread. */
    @FunctionalInterface
    public interface RawListener {
        void onRaw(long offset, byte[] bytes);
    }

    /** A recorder that continues a session's output where its previous process left it. */
    public OutputRecorder(String sessionId, Clock clock, Consumer<String> lineListener, int firstSeq, long firstOffset, long firstLine) {
        this(sessionId, clock, lineListener, (offset, bytes) -> { }, firstSeq, firstOffset, firstLine);
    }

    /** @param rawListener gets the bytes as kept, in order (live views) */
    public OutputRecorder(String sessionId, Clock clock, Consumer<String> lineListener, RawListener rawListener, int firstSeq,
                          long firstOffset, long firstLine) {
        this.rawListener = rawListener;
        this.seq = firstSeq;
        this.offset = firstOffset;
        this.lineStart = firstOffset;
        this.lineNo = firstLine;
        this.sessionId = sessionId;
        this.clock = clock;
        this.lineListener = lineListener;
        this.lastOutputMillis = clock.millis();
    }

    /** When output last arrived (the recorder's creation when none has). */
    public long lastOutputMillis() {
        return lastOutputMillis;
    }

    public String sessionId() {
        return sessionId;
    }

    @Override
    public void onOutput(byte[] buffer, int length) {
        if (length <= 0) {
            return;
        }
        List<String> completed = new ArrayList<>();
        lock.lock();
        try {
            while (pendingBytes > MAX_PENDING_BYTES && !closed) {
                drained.awaitUninterruptibly();
            }
            long now = clock.millis();
            lastOutputMillis = now;
            keep(rawSecrets.feed(new String(buffer, 0, length, StandardCharsets.ISO_8859_1)), now, completed, true);
        } finally {
            lock.unlock();
        }
        completed.forEach(lineListener);
    }

    /**
     * Keeps released (redacted) output: raw chunk, clean lines, live views, in order. Called under
     * the lock, by the reader thread or, for an open last line after a pause, by the drainer; the
     * live views hear the bytes under the lock so that both keep their order.
     */
    private void keep(String released, long now, List<String> completed, boolean mayCutLongLine) {
        if (released.isEmpty()) {
            return;
        }
        byte[] copy = released.replace("…", "...").getBytes(StandardCharsets.ISO_8859_1);
        int length = copy.length;
        if (chunk.size() == 0) {
            chunkOffset = offset;
            chunkAt = now;
        }
        chunk.write(copy, 0, length);
        if (chunk.size() >= CHUNK_BYTES) {
            cutChunk();
        }
        pendingBytes += length;
        int from = 0;
        for (int i = 0; i < length; i++) {
            if (copy[i] == '\n') {
                lineBytes.write(copy, from, i - from);
                completed.add(finishLine(now, offset + i + 1));
                from = i + 1;
            }
        }
        lineBytes.write(copy, from, length - from);
        if (length > from) {
            openLineTold = false;
        }
        if (mayCutLongLine && lineBytes.size() > MAX_LINE_CHARS) {
            // A line without end (a binary blob, a spinner) is cut so it cannot eat the heap.
            completed.add(finishLine(now, offset + length));
        }
        rawListener.onRaw(offset, copy);
        offset += length;
    }

    private String finishLine(long now, long nextLineStart) {
        String text = lineSecrets.feed(TerminalText.clean(lineBytes.toString(StandardCharsets.UTF_8)) + "\n");
        text = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        lines.add(new OutputBatch.Line(lineNo++, lineStart, text, now));
        lineBytes.reset();
        openLineTold = false;
        lineStart = nextLineStart;
        return text;
    }

    private void cutChunk() {
        if (chunk.size() > 0) {
            chunks.add(new OutputBatch.Chunk(seq++, chunkOffset, chunk.toByteArray(), chunkAt));
            chunk.reset();
        }
    }

    /** Hears the open last line once the output paused on it (see {@link #OPEN_LINE_MILLIS}), on the draining thread. */
    public void onOpenLine(Consumer<String> listener) {
        openLineListener = listener;
    }

    /** Takes what is waiting to be stored; never blocks the reader for long. An open last line held back while output pauses is let go first. */
    public OutputBatch drain() {
        String open = null;
        OutputBatch batch;
        lock.lock();
        try {
            long now = clock.millis();
            long quiet = now - lastOutputMillis;
            if (rawSecrets.holding() && quiet >= QUIET_MILLIS) {
                keep(quiet >= LONG_QUIET_MILLIS ? rawSecrets.flush() : rawSecrets.flushWords(), now, new ArrayList<>(), false);
            }
            if (!openLineTold && quiet >= OPEN_LINE_MILLIS && lineBytes.size() > 0 && !closed) {
                openLineTold = true;
                open = dev.controlroom.domain.Redactor.redactText(TerminalText.clean(lineBytes.toString(StandardCharsets.UTF_8)));
            }
            cutChunk();
            batch = new OutputBatch(sessionId, chunks, lines);
            chunks = new ArrayList<>();
            lines = new ArrayList<>();
            pendingBytes = 0;
            drained.signalAll();
        } finally {
            lock.unlock();
        }
        if (open != null && !open.isBlank()) {
            openLineListener.accept(open);
        }
        return batch;
    }

    /** The output has ended: what was held back is kept, and the unfinished last line counts as a line. */
    public void close() {
        List<String> completed = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            long now = clock.millis();
            keep(rawSecrets.flush(), now, completed, true);
            if (lineBytes.size() > 0) {
                completed.add(finishLine(now, offset));
            }
            drained.signalAll();
        } finally {
            lock.unlock();
        }
        completed.forEach(lineListener);
    }

    /** Bytes kept but not yet handed to the persister. */
    public long pendingBytes() {
        lock.lock();
        try {
            return pendingBytes;
        } finally {
            lock.unlock();
        }
    }

    public long bytesSeen() {
        lock.lock();
        try {
            return offset;
        } finally {
            lock.unlock();
        }
    }

    public long linesSeen() {
        lock.lock();
        try {
            return lineNo;
        } finally {
            lock.unlock();
        }
    }
}
