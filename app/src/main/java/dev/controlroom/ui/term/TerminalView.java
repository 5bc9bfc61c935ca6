package dev.controlroom.ui.term;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Orientation;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontPosture;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A terminal on a Canvas: draws the visible rows of a {@link Terminal}, fed bytes from any thread
 * through a bounded queue that {@link TerminalPump} applies once per pulse. Follows the output
 * unless the user scrolls up; finds text; selects and copies; sends keys to the program when input
 * is enabled.
 */
public final class TerminalView extends Region {
    /** When more than this waits to be shown, the oldest waiting output is skipped (the database keeps it). */
    public static final long MAX_QUEUED_BYTES = 8L << 20;
    private static final int SLICE = 16 * 1024;
    private static final double FONT_SIZE = 13;
    private static final double PAD = 4;

    private record Chunk(long offset, byte[] bytes) {
    }

    /** A find hit: absolute line and cell columns [from, to). */
    public record Match(long line, int from, int to) {
    }

    private record Cell(long line, int col) implements Comparable<Cell> {
        @Override
        public int compareTo(Cell o) {
            return line != o.line ? Long.compare(line, o.line) : Integer.compare(col, o.col);
        }
    }

    private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final Canvas canvas = new Canvas();
    private final ScrollBar vbar = new ScrollBar();
    private final ScrollBar hbar = new ScrollBar();
    private final TerminalPump pump = TerminalPump.shared();

    private Terminal term;
    /** The session offset just after the last byte applied; -1 while unknown (accept everything in order). */
    private long appliedEnd = -1;
    private Chunk partial;
    private int partialFrom;

    private final ReadOnlyBooleanWrapper following = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyLongWrapper skipped = new ReadOnlyLongWrapper();
    private final BooleanProperty inputEnabled = new SimpleBooleanProperty();
    private final ReadOnlyIntegerWrapper matchCount = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper matchIndex = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyBooleanWrapper findRequested = new ReadOnlyBooleanWrapper();
    private Consumer<String> input = text -> { };

    /** Absolute number of the top row while scrolled up, so the view stays on its text while output arrives. */
    private long topLine;
    /** Output waits in the queue while a new model is being built from the database. */
    private boolean holding;
    private double xOffset;
    private boolean updatingBars;
    private boolean dirty = true;
    private long drawnVersion = -1;
    private long lastDrawNanos;
    private static final long STREAM_FRAME_NANOS = 30_000_000;
    private TerminalPalette palette = TerminalPalette.DARK;

    private String query = "";
    private List<Match> matches = List.of();
    private Optional<Cell> anchor = Optional.empty();
    private Optional<Cell> caret = Optional.empty();

    private final Font regular = Font.font("Monospaced", FONT_SIZE);
    private final Font bold = Font.font("Monospaced", FontWeight.BOLD, FONT_SIZE);
    private final Font italic = Font.font("Monospaced", FontPosture.ITALIC, FONT_SIZE);
    private final double cellW;
    private final double cellH;
    private final double ascent;

    public TerminalView(Terminal terminal) {
        this.term = terminal;
        getStyleClass().add("terminal-view");
        setFocusTraversable(true);
        Text probe = new Text("MMMMMMMMMM");
        probe.setFont(regular);
        cellW = Math.ceil(probe.getLayoutBounds().getWidth() / 10 * 4) / 4;
        cellH = Math.ceil(probe.getLayoutBounds().getHeight());
        ascent = -probe.getLayoutBounds().getMinY();
        vbar.setOrientation(Orientation.VERTICAL);
        hbar.setOrientation(Orientation.HORIZONTAL);
        getChildren().addAll(canvas, vbar, hbar);
        vbar.valueProperty().addListener((obs, old, now) -> userScrolledTo(now.doubleValue()));
        hbar.valueProperty().addListener((obs, old, now) -> {
            xOffset = now.doubleValue();
            requestDraw();
        });
        addEventHandler(ScrollEvent.SCROLL, this::onWheel);
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPress);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDrag);
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKeyPressed);
        addEventHandler(KeyEvent.KEY_TYPED, this::onKeyTyped);
        canvas.setOnContextMenuRequested(e -> contextMenu().show(canvas, e.getScreenX(), e.getScreenY()));
        focusedProperty().addListener((obs, old, now) -> requestDraw());
        // Fed whether shown or not, so a tab brought forward is up to date at once.
        pump.add(this);
        sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                watchTheme(scene);
                requestDraw();
            }
        });
    }

    /** FX thread: stops feeding this view (its tab was closed). */
    public void dispose() {
        pump.remove(this);
        queue.clear();
        queuedBytes.set(0);
    }

    // ------------------------------------------------------------------------------ feeding

    /** Any thread: bytes starting at {@code offset} of the session's output (-1 when unknown). */
    public void offer(long offset, byte[] bytes) {
        queue.add(new Chunk(offset, bytes));
        if (queuedBytes.addAndGet(bytes.length) > MAX_QUEUED_BYTES) {
            // Hopelessly behind: keep the newest output, say how much was skipped.
            while (queuedBytes.get() > MAX_QUEUED_BYTES / 2) {
                Chunk old = queue.poll();
                if (old == null) {
                    break;
                }
                queuedBytes.addAndGet(-old.bytes.length);
                droppedBytes.addAndGet(old.bytes.length);
            }
        }
        pump.wake();
    }

    /** Any thread: bytes with no known offset, applied in order. */
    public void offer(byte[] bytes) {
        offer(-1, bytes);
    }

    /** FX thread: keeps queued output until the model being loaded is handed over with {@link #replace}. */
    public void hold() {
        holding = true;
    }

    /** FX thread: shows another model (history loaded on a background thread) that holds the output up to {@code endOffset}. */
    public void replace(Terminal terminal, long endOffset) {
        term = terminal;
        holding = false;
        appliedEnd = endOffset;
        partial = null;
        matches = List.of();
        matchCount.set(0);
        matchIndex.set(-1);
        anchor = Optional.empty();
        caret = Optional.empty();
        requestDraw();
        pump.startIfIdle();
    }

    public Terminal terminal() {
        return term;
    }

    /** FX thread (pump): applies queued output until done or past {@code deadline}; true when some is left. */
    boolean applyQueued(long deadline) {
        long skippedNow = droppedBytes.getAndSet(0);
        if (skippedNow > 0) {
            skipped.set(skipped.get() + skippedNow);
            partial = null;
            appliedEnd = -1;
        }
        if (holding) {
            return false;
        }
        while (System.nanoTime() < deadline) {
            if (partial == null) {
                Chunk c = queue.poll();
                if (c == null) {
                    break;
                }
                queuedBytes.addAndGet(-c.bytes.length);
                int from = 0;
                if (c.offset >= 0 && appliedEnd >= 0) {
                    if (c.offset + c.bytes.length <= appliedEnd) {
                        continue; // already in the model (read from the database)
                    }
                    from = (int) Math.max(0, appliedEnd - c.offset);
                }
                partial = c;
                partialFrom = from;
            }
            int n = Math.min(SLICE, partial.bytes.length - partialFrom);
            term.feed(partial.bytes, partialFrom, n);
            partialFrom += n;
            if (partialFrom >= partial.bytes.length) {
                appliedEnd = partial.offset >= 0 ? partial.offset + partial.bytes.length : appliedEnd;
                partial = null;
            }
        }
        return partial != null || !queue.isEmpty();
    }

    // ------------------------------------------------------------------------------ state

    /** True while the view sticks to the newest output. */
    public ReadOnlyBooleanProperty followingProperty() {
        return following.getReadOnlyProperty();
    }

    public void follow() {
        following.set(true);
        requestDraw();
    }

    /** Bytes of output not shown because the view fell too far behind (they are in the database). */
    public ReadOnlyLongProperty skippedBytesProperty() {
        return skipped.getReadOnlyProperty();
    }

    /** Whether keys typed here go to the program. */
    public BooleanProperty inputEnabledProperty() {
        return inputEnabled;
    }

    /** Where typed keys go (as the bytes a terminal sends). */
    public void setInput(Consumer<String> input) {
        this.input = input;
    }

    public ReadOnlyIntegerProperty matchCountProperty() {
        return matchCount.getReadOnlyProperty();
    }

    /** The current match, -1 when none. */
    public ReadOnlyIntegerProperty matchIndexProperty() {
        return matchIndex.getReadOnlyProperty();
    }

    /** Set when the user pressed Ctrl+F here; the owner shows its find bar and clears it. */
    public ReadOnlyBooleanProperty findRequestedProperty() {
        return findRequested.getReadOnlyProperty();
    }

    public void findShown() {
        findRequested.set(false);
    }

    public List<Match> matches() {
        return matches;
    }

    public void setPalette(TerminalPalette palette) {
        this.palette = palette;
        requestDraw();
    }

    public double cellWidth() {
        return cellW;
    }

    public double cellHeight() {
        return cellH;
    }

    /** The absolute number of the first line still kept: lines before it fell off the history. */
    private long base() {
        return term.scrolledOff() - term.historySize();
    }

    /** The index after the last line with content: blank rows under the cursor are not scrolled to. */
    private int contentEnd() {
        int h = term.historySize();
        if (term.altScreen()) {
            return h + term.rows();
        }
        int last = term.cursorY();
        for (int r = term.rows() - 1; r > last; r--) {
            if (term.line(h + r).length() > 0 && !term.line(h + r).text().isEmpty()) {
                last = r;
                break;
            }
        }
        return h + last + 1;
    }

    private int visibleRows() {
        return Math.max(1, (int) Math.floor((canvas.getHeight() - 2 * PAD) / cellH));
    }

    /** The index (into the model's lines) of the first row shown. */
    int topIndex() {
        int maxTop = Math.max(0, contentEnd() - visibleRows());
        if (following.get()) {
            return maxTop;
        }
        long idx = topLine - base();
        return (int) Math.max(0, Math.min(maxTop, idx));
    }

    /** The text of the rows on screen, top to bottom (copy-all-visible, tests). */
    public String visibleText() {
        StringBuilder sb = new StringBuilder();
        int top = topIndex();
        int end = Math.min(term.lineCount(), top + visibleRows());
        for (int i = top; i < end; i++) {
            sb.append(term.lineText(i)).append('\n');
        }
        return sb.toString();
    }

    /** Scrolls so the line {@code index} (into the model's lines) is in view, leaving follow mode. */
    public void scrollToIndex(int index) {
        following.set(false);
        topLine = base() + Math.max(0, index - visibleRows() / 3);
        requestDraw();
    }

    /** The newest line whose text contains {@code needle} (case-insensitive), as an index. */
    public Optional<Integer> findLast(String needle) {
        String n = needle.toLowerCase(java.util.Locale.ROOT);
        for (int i = term.lineCount() - 1; i >= 0; i--) {
            if (term.lineText(i).toLowerCase(java.util.Locale.ROOT).contains(n)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------ find

    /** Finds every occurrence of {@code text} (case-insensitive) and moves to the newest. */
    public void find(String text) {
        query = text;
        List<Match> found = new ArrayList<>();
        if (!text.isEmpty()) {
            String q = text.toLowerCase(java.util.Locale.ROOT);
            long base = base();
            for (int i = 0; i < term.lineCount(); i++) {
                TermLine line = term.line(i);
                String t = line.text().toLowerCase(java.util.Locale.ROOT);
                int at = t.indexOf(q);
                if (at < 0) {
                    continue;
                }
                int[] cols = line.columnsOfText();
                while (at >= 0) {
                    int end = at + q.length();
                    int lastCol = cols[Math.min(end - 1, cols.length - 1)];
                    found.add(new Match(base + i, cols[at], lastCol + Math.max(1, CharWidth.of(Math.max(0, line.codePoint(lastCol))))));
                    at = t.indexOf(q, at + Math.max(1, q.length()));
                }
            }
        }
        matches = List.copyOf(found);
        matchCount.set(matches.size());
        matchIndex.set(matches.isEmpty() ? -1 : matches.size() - 1);
        showMatch();
    }

    public void findNext() {
        step(1);
    }

    public void findPrevious() {
        step(-1);
    }

    private void step(int by) {
        if (matches.isEmpty()) {
            find(query);
            return;
        }
        matchIndex.set(Math.floorMod(matchIndex.get() + by, matches.size()));
        showMatch();
    }

    private void showMatch() {
        if (matchIndex.get() >= 0) {
            Match m = matches.get(matchIndex.get());
            scrollToIndex((int) (m.line() - base()));
            double x = PAD + m.from() * cellW;
            double w = canvas.getWidth();
            if (x < xOffset || x > xOffset + w - cellW * 4) {
                hbar.setValue(Math.max(0, Math.min(hbar.getMax(), x - w / 3)));
            }
        }
        requestDraw();
    }

    // ------------------------------------------------------------------------------ selection and copy

    public boolean hasSelection() {
        return anchor.isPresent() && caret.isPresent() && !anchor.get().equals(caret.get());
    }

    /** The selected text; lines the program wrapped are joined back. */
    public String selectedText() {
        if (!hasSelection()) {
            return "";
        }
        Cell a = anchor.get().compareTo(caret.get()) <= 0 ? anchor.get() : caret.get();
        Cell b = a == anchor.get() ? caret.get() : anchor.get();
        StringBuilder sb = new StringBuilder();
        long base = base();
        for (long abs = Math.max(a.line, base); abs <= b.line && abs - base < term.lineCount(); abs++) {
            TermLine line = term.line((int) (abs - base));
            int from = abs == a.line ? a.col : 0;
            int to = abs == b.line ? b.col : term.cols();
            StringBuilder part = new StringBuilder();
            for (int c = from; c < to; c++) {
                int cp = line.codePoint(c);
                if (cp != TermLine.WIDE_TAIL) {
                    part.appendCodePoint(cp == TermLine.BLANK ? ' ' : cp);
                }
            }
            String s = abs == b.line && to < term.cols() ? part.toString() : part.toString().stripTrailing();
            sb.append(s);
            if (abs < b.line && !line.wrapped()) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Selects cells from one point to another, as a mouse drag does (indices into the model's lines). */
    public void select(int fromIndex, int fromCol, int toIndex, int toCol) {
        anchor = Optional.of(new Cell(base() + fromIndex, fromCol));
        caret = Optional.of(new Cell(base() + toIndex, toCol));
        requestDraw();
    }

    public void copySelection() {
        if (hasSelection()) {
            ClipboardContent content = new ClipboardContent();
            content.putString(selectedText());
            Clipboard.getSystemClipboard().setContent(content);
        }
    }

    public void copyVisible() {
        ClipboardContent content = new ClipboardContent();
        content.putString(visibleText().stripTrailing());
        Clipboard.getSystemClipboard().setContent(content);
    }

    private ContextMenu contextMenu() {
        MenuItem copy = new MenuItem("Copy");
        copy.setDisable(!hasSelection());
        copy.setOnAction(e -> copySelection());
        MenuItem copyAll = new MenuItem("Copy all visible");
        copyAll.setOnAction(e -> copyVisible());
        MenuItem paste = new MenuItem("Paste");
        paste.setDisable(!inputEnabled.get());
        paste.setOnAction(e -> paste());
        MenuItem find = new MenuItem("Find…");
        find.setOnAction(e -> findRequested.set(true));
        MenuItem follow = new MenuItem("Follow output");
        follow.setDisable(following.get());
        follow.setOnAction(e -> follow());
        return new ContextMenu(copy, copyAll, paste, new SeparatorMenuItem(), find, follow);
    }

    private Cell cellAt(double px, double py) {
        int row = (int) Math.floor((py - PAD) / cellH);
        int col = (int) Math.round((px + xOffset - PAD) / cellW);
        int idx = Math.max(0, Math.min(term.lineCount() - 1, topIndex() + Math.max(0, Math.min(visibleRows() - 1, row))));
        return new Cell(base() + idx, Math.max(0, Math.min(term.cols(), col)));
    }

    private void onPress(MouseEvent e) {
        requestFocus();
        if (e.getButton() == MouseButton.PRIMARY) {
            Cell c = cellAt(e.getX(), e.getY());
            anchor = Optional.of(c);
            caret = Optional.of(c);
            requestDraw();
        }
        // A TabPane around the view takes the focus on any press that reaches it; the terminal keeps it.
        e.consume();
    }

    private void onDrag(MouseEvent e) {
        if (e.getButton() == MouseButton.PRIMARY && anchor.isPresent()) {
            caret = Optional.of(cellAt(e.getX(), e.getY()));
            requestDraw();
        }
    }

    // ------------------------------------------------------------------------------ scrolling

    private void onWheel(ScrollEvent e) {
        double lines = -e.getDeltaY() / (e.getMultiplierY() > 0 ? e.getMultiplierY() : 40) * 3;
        scrollBy((int) Math.round(lines));
        e.consume();
    }

    /** Scrolls by rows (negative: up); scrolling up leaves follow mode, reaching the bottom re-enters it. */
    public void scrollBy(int rows) {
        if (rows == 0) {
            return;
        }
        int top = topIndex();
        int maxTop = Math.max(0, contentEnd() - visibleRows());
        int next = Math.max(0, Math.min(maxTop, top + rows));
        following.set(next >= maxTop);
        topLine = base() + next;
        requestDraw();
    }

    private void userScrolledTo(double value) {
        if (updatingBars) {
            return;
        }
        int maxTop = Math.max(0, contentEnd() - visibleRows());
        int next = (int) Math.round(value);
        following.set(next >= maxTop);
        topLine = base() + next;
        requestDraw();
    }

    // ------------------------------------------------------------------------------ keys

    private void onKeyPressed(KeyEvent e) {
        boolean ctrl = e.isControlDown() || e.isMetaDown();
        KeyCode code = e.getCode();
        if (ctrl && e.isShiftDown() && code == KeyCode.C || ctrl && code == KeyCode.C && hasSelection()) {
            copySelection();
            e.consume();
            return;
        }
        if (ctrl && code == KeyCode.F) {
            findRequested.set(true);
            e.consume();
            return;
        }
        if (ctrl && code == KeyCode.END) {
            follow();
            e.consume();
            return;
        }
        if (e.isShiftDown() && (code == KeyCode.PAGE_UP || code == KeyCode.PAGE_DOWN)) {
            scrollBy((code == KeyCode.PAGE_UP ? -1 : 1) * Math.max(1, visibleRows() - 1));
            e.consume();
            return;
        }
        if (ctrl && e.isShiftDown() && code == KeyCode.V || e.isShiftDown() && code == KeyCode.INSERT) {
            paste();
            e.consume();
            return;
        }
        if (!inputEnabled.get()) {
            return;
        }
        Optional<String> seq = KeyBytes.of(code, ctrl, e.isShiftDown(), e.isAltDown(), term.appCursorKeys());
        if (seq.isPresent()) {
            send(seq.get());
            e.consume();
        }
    }

    private void onKeyTyped(KeyEvent e) {
        if (!inputEnabled.get() || e.isControlDown() || e.isMetaDown()) {
            return;
        }
        String ch = e.getCharacter();
        if (ch.isEmpty() || ch.equals(KeyEvent.CHAR_UNDEFINED) || ch.charAt(0) < 0x20 || ch.charAt(0) == 0x7F) {
            return;
        }
        send(e.isAltDown() ? "\u001b" + ch : ch);
        e.consume();
    }

    /** Pastes the clipboard's text into the program (bracketed when it asked for that). */
    public void paste() {
        if (!inputEnabled.get()) {
            return;
        }
        String text = Clipboard.getSystemClipboard().getString();
        if (text != null && !text.isEmpty()) {
            String t = text.replace("\r\n", "\r").replace('\n', '\r');
            send(term.bracketedPaste() ? "\u001b[200~" + t + "\u001b[201~" : t);
        }
    }

    private void send(String text) {
        following.set(true);
        anchor = Optional.empty();
        caret = Optional.empty();
        input.accept(text);
        requestDraw();
    }

    // ------------------------------------------------------------------------------ drawing

    private void watchTheme(javafx.scene.Scene scene) {
        Runnable pick = () -> setPalette(scene.getRoot() != null && scene.getRoot().getStyleClass().contains("theme-light")
                ? TerminalPalette.LIGHT : TerminalPalette.DARK);
        pick.run();
        if (scene.getRoot() != null) {
            scene.getRoot().getStyleClass().addListener((javafx.collections.ListChangeListener<String>) c -> pick.run());
        }
    }

    /** FX thread: draw at the next pulse. */
    public void requestDraw() {
        dirty = true;
        pump.startIfIdle();
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        double vw = vbar.prefWidth(-1);
        double contentW = PAD * 2 + term.cols() * cellW;
        boolean needH = contentW > w - vw;
        double hh = needH ? hbar.prefHeight(-1) : 0;
        hbar.setVisible(needH);
        canvas.setWidth(Math.max(0, w - vw));
        canvas.setHeight(Math.max(0, h - hh));
        vbar.resizeRelocate(w - vw, 0, vw, h - hh);
        hbar.resizeRelocate(0, h - hh, Math.max(0, w - vw), hh);
        updatingBars = true;
        hbar.setMax(Math.max(0, contentW - (w - vw)));
        hbar.setVisibleAmount(Math.max(1, w - vw));
        if (!needH) {
            hbar.setValue(0);
            xOffset = 0;
        }
        updatingBars = false;
        requestDraw();
    }

    @Override
    protected double computePrefWidth(double height) {
        return PAD * 2 + term.cols() * cellW + vbar.prefWidth(-1);
    }

    @Override
    protected double computePrefHeight(double width) {
        return PAD * 2 + 24 * cellH;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 120;
    }

    @Override
    protected double computeMinHeight(double width) {
        return 3 * cellH;
    }

    /**
     * FX thread (pump): redraws when the model or the view changed and the view is on screen; true
     * when it drew or still has to. Streaming output redraws at most every {@link #STREAM_FRAME_NANOS}:
     * nobody reads faster, and each frame costs the renderer; what the user does is drawn at once.
     */
    boolean drawIfDirty() {
        if (!dirty && drawnVersion == term.version()) {
            return false;
        }
        if (getScene() == null || !isTreeVisible() || canvas.getWidth() <= 0 || canvas.getHeight() <= 0) {
            return false; // drawn when it is shown again
        }
        long now = System.nanoTime();
        if (!dirty && now - lastDrawNanos < STREAM_FRAME_NANOS) {
            return true;
        }
        dirty = false;
        drawnVersion = term.version();
        lastDrawNanos = now;
        draw();
        return true;
    }

    private boolean isTreeVisible() {
        for (javafx.scene.Node n = this; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(palette.background());
        g.fillRect(0, 0, w, h);
        int rows = visibleRows();
        int top = topIndex();
        int end = contentEnd();
        updatingBars = true;
        vbar.setMin(0);
        vbar.setMax(Math.max(0, end - rows));
        vbar.setVisibleAmount(Math.max(1, Math.min(rows, end)));
        vbar.setValue(top);
        vbar.setBlockIncrement(Math.max(1, rows - 1));
        updatingBars = false;
        long base = base();
        Cell selFrom = null;
        Cell selTo = null;
        if (hasSelection()) {
            selFrom = anchor.get().compareTo(caret.get()) <= 0 ? anchor.get() : caret.get();
            selTo = selFrom == anchor.get() ? caret.get() : anchor.get();
        }
        int firstCol = (int) Math.max(0, Math.floor((xOffset - PAD) / cellW));
        int lastCol = Math.min(term.cols(), (int) Math.ceil((xOffset + w) / cellW) + 1);
        g.setFontSmoothingType(javafx.scene.text.FontSmoothingType.LCD);
        for (int r = 0; r < rows; r++) {
            int idx = top + r;
            if (idx >= term.lineCount()) {
                break;
            }
            double y = PAD + r * cellH;
            long abs = base + idx;
            TermLine line = term.line(idx);
            drawBackgrounds(g, line, y, firstCol, lastCol);
            drawHighlights(g, abs, y, selFrom, selTo);
            drawText(g, line, y, firstCol, lastCol);
        }
        if (term.cursorVisible() && topIndex() <= term.historySize() + term.cursorY()) {
            int cr = term.historySize() + term.cursorY() - top;
            if (cr >= 0 && cr < rows) {
                double cx = PAD + term.cursorX() * cellW - xOffset;
                double cy = PAD + cr * cellH;
                g.setStroke(palette.cursor());
                g.setFill(palette.cursor());
                if (isFocused() && inputEnabled.get()) {
                    g.setGlobalAlpha(0.6);
                    g.fillRect(cx, cy, cellW, cellH);
                    g.setGlobalAlpha(1);
                } else {
                    g.setLineWidth(1);
                    g.strokeRect(cx + 0.5, cy + 0.5, cellW - 1, cellH - 1);
                }
            }
        }
    }

    private void drawBackgrounds(GraphicsContext g, TermLine line, double y, int firstCol, int lastCol) {
        int end = Math.min(lastCol, Math.max(line.length(), 0));
        int c = firstCol;
        while (c < end) {
            Optional<Color> bg = palette.backgroundOf(line.attr(c));
            int start = c;
            long a = line.attr(c);
            while (c < end && line.attr(c) == a) {
                c++;
            }
            if (bg.isPresent()) {
                g.setFill(bg.get());
                g.fillRect(PAD + start * cellW - xOffset, y, (c - start) * cellW, cellH);
            }
        }
    }

    private void drawHighlights(GraphicsContext g, long abs, double y, Cell selFrom, Cell selTo) {
        for (int i = 0; i < matches.size(); i++) {
            Match m = matches.get(i);
            if (m.line() == abs) {
                double x = PAD + m.from() * cellW - xOffset;
                double w = (m.to() - m.from()) * cellW;
                if (i == matchIndex.get()) {
                    // A frame, not a fill: the text keeps its own colours and stays readable.
                    g.setFill(palette.currentMatch());
                    g.setGlobalAlpha(0.3);
                    g.fillRect(x, y, w, cellH);
                    g.setGlobalAlpha(1);
                    g.setStroke(palette.currentMatch());
                    g.setLineWidth(2);
                    g.strokeRect(x + 1, y + 1, w - 2, cellH - 2);
                } else {
                    g.setFill(palette.match());
                    g.fillRect(x, y, w, cellH);
                }
            }
        }
        if (selFrom != null && abs >= selFrom.line && abs <= selTo.line) {
            int from = abs == selFrom.line ? selFrom.col : 0;
            int to = abs == selTo.line ? selTo.col : term.cols();
            g.setFill(palette.selection());
            g.setGlobalAlpha(0.7);
            g.fillRect(PAD + from * cellW - xOffset, y, (to - from) * cellW, cellH);
            g.setGlobalAlpha(1);
        }
    }

    private void drawText(GraphicsContext g, TermLine line, double y, int firstCol, int lastCol) {
        int end = Math.min(lastCol, line.length());
        StringBuilder run = new StringBuilder();
        int c = firstCol;
        double baseline = y + ascent;
        while (c < end) {
            long a = line.attr(c);
            int start = c;
            run.setLength(0);
            boolean simple = true;
            while (c < end && line.attr(c) == a) {
                int cp = line.codePoint(c);
                if (cp > 0x7E || cp == TermLine.WIDE_TAIL) {
                    simple = false;
                    break;
                }
                run.append(cp == TermLine.BLANK ? ' ' : (char) cp);
                c++;
            }
            if (!simple && run.isEmpty()) {
                // One wide or non-ASCII character, drawn in its own cell(s) so a fallback font cannot shift the rest.
                int cp = line.codePoint(c);
                if (cp != TermLine.WIDE_TAIL && !Attr.has(a, Attr.HIDDEN)) {
                    paintRun(g, a, new String(Character.toChars(cp)), PAD + c * cellW - xOffset, baseline, CharWidth.of(cp));
                }
                c++;
                continue;
            }
            if (!Attr.has(a, Attr.HIDDEN) && !run.toString().isBlank()) {
                paintRun(g, a, run.toString(), PAD + start * cellW - xOffset, baseline, run.length());
            } else if (Attr.has(a, Attr.UNDERLINE | Attr.STRIKE)) {
                paintRun(g, a, "", PAD + start * cellW - xOffset, baseline, run.length());
            }
        }
    }

    private void paintRun(GraphicsContext g, long a, String text, double x, double baseline, int cells) {
        Color fg = palette.foregroundOf(a);
        g.setFill(fg);
        g.setFont(Attr.has(a, Attr.BOLD) ? bold : Attr.has(a, Attr.ITALIC) ? italic : regular);
        if (!text.isEmpty()) {
            g.fillText(text, x, baseline);
        }
        if (Attr.has(a, Attr.UNDERLINE)) {
            g.setStroke(fg);
            g.setLineWidth(1);
            g.strokeLine(x, baseline + 2.5, x + cells * cellW, baseline + 2.5);
        }
        if (Attr.has(a, Attr.STRIKE)) {
            g.setStroke(fg);
            g.strokeLine(x, baseline - ascent / 3, x + cells * cellW, baseline - ascent / 3);
        }
    }
}
