package dev.controlroom.ui.tasks;

import dev.controlroom.ui.common.TaskRow;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The tasks of the selected task list, with their waves and status, and the filters a person
 * narrows them with. The table shows {@link #visibleRows()}, the board {@link #board()}.
 */
public final class TasksViewModel {
    /** The filter choice that lets every task through. */
    public static final String ANY = "any";

    private final ObservableList<TaskRow> rows = FXCollections.observableArrayList();
    private final ObservableList<TaskRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final FilteredList<TaskRow> visible = new FilteredList<>(rows);
    private final ReadOnlyStringWrapper heading = new ReadOnlyStringWrapper("Tasks");
    private final ReadOnlyStringWrapper countText = new ReadOnlyStringWrapper("");

    private final ObjectProperty<TaskRow> selected = new SimpleObjectProperty<>();

    private final ObjectProperty<String> statusFilter = new SimpleObjectProperty<>(ANY);
    private final ObjectProperty<String> priorityFilter = new SimpleObjectProperty<>(ANY);
    private final ObjectProperty<String> waveFilter = new SimpleObjectProperty<>(ANY);
    private final ObjectProperty<String> laneFilter = new SimpleObjectProperty<>(ANY);
    private final ObjectProperty<String> agentFilter = new SimpleObjectProperty<>(ANY);
    private final StringProperty textFilter = new SimpleStringProperty("");
    private final BooleanProperty boardShown = new SimpleBooleanProperty();
    private final ObservableList<BoardColumn.Cards> board = FXCollections.observableArrayList();
    private final ObservableList<BoardColumn.Cards> readOnlyBoard = FXCollections.unmodifiableObservableList(board);

    private final ObservableList<String> statusChoices = FXCollections.observableArrayList(ANY);
    private final ObservableList<String> priorityChoices = FXCollections.observableArrayList(ANY);
    private final ObservableList<String> waveChoices = FXCollections.observableArrayList(ANY);
    private final ObservableList<String> laneChoices = FXCollections.observableArrayList(ANY);
    private final ObservableList<String> agentChoices = FXCollections.observableArrayList(ANY);

    public TasksViewModel() {
        visible.predicateProperty().bind(Bindings.createObjectBinding(this::predicate, statusFilter, priorityFilter, waveFilter,
                laneFilter, agentFilter, textFilter));
        countText.bind(Bindings.createStringBinding(() -> visible.size() == rows.size()
                ? rows.size() + " task" + (rows.size() == 1 ? "" : "s")
                : visible.size() + " of " + rows.size() + " tasks", visible, rows));
        visible.addListener((ListChangeListener<TaskRow>) change -> sortBoard());
        boardShown.addListener((obs, old, on) -> sortBoard());
    }

    /**
     * The board's columns with their cards, highest priority on top as the engine picks them, plan
     * order breaking ties. Empty while the table is shown: a hidden board's cards would be hundreds
     * of nodes to style and lay out for nothing, at every start and every reload.
     */
    public ObservableList<BoardColumn.Cards> board() {
        return readOnlyBoard;
    }

    private void sortBoard() {
        if (!boardShown.get()) {
            board.clear();
            return;
        }
        Map<BoardColumn, List<TaskRow>> byColumn = new EnumMap<>(BoardColumn.class);
        for (BoardColumn c : BoardColumn.values()) {
            byColumn.put(c, new ArrayList<>());
        }
        visible.forEach(r -> byColumn.get(BoardColumn.of(r.status())).add(r));
        byColumn.values().forEach(list -> list.sort(Comparator.comparingInt((TaskRow r) -> -r.task().spec().priority())));
        board.setAll(byColumn.entrySet().stream().map(e -> new BoardColumn.Cards(e.getKey(), List.copyOf(e.getValue()))).toList());
    }

    /** The task a person selected in the table, on the board or in another pane. */
    public ObjectProperty<TaskRow> selectedProperty() {
        return selected;
    }

    /** Every task of the list. */
    public ObservableList<TaskRow> rows() {
        return readOnlyRows;
    }

    /** The tasks the filters let through, in list order. */
    public ObservableList<TaskRow> visibleRows() {
        return visible;
    }

    public ReadOnlyStringProperty headingProperty() {
        return heading.getReadOnlyProperty();
    }

    /** "12 of 40 tasks" when filters hide some, else "40 tasks". */
    public ReadOnlyStringProperty countTextProperty() {
        return countText.getReadOnlyProperty();
    }

    public ObjectProperty<String> statusFilterProperty() {
        return statusFilter;
    }

    public ObjectProperty<String> priorityFilterProperty() {
        return priorityFilter;
    }

    public ObjectProperty<String> waveFilterProperty() {
        return waveFilter;
    }

    public ObjectProperty<String> laneFilterProperty() {
        return laneFilter;
    }

    public ObjectProperty<String> agentFilterProperty() {
        return agentFilter;
    }

    /** Matches the key, the title, the prompt or the command, ignoring case. */
    public StringProperty textFilterProperty() {
        return textFilter;
    }

    /** Whether the board is shown instead of the table. */
    public BooleanProperty boardShownProperty() {
        return boardShown;
    }

    public ObservableList<String> statusChoices() {
        return statusChoices;
    }

    public ObservableList<String> priorityChoices() {
        return priorityChoices;
    }

    public ObservableList<String> waveChoices() {
        return waveChoices;
    }

    public ObservableList<String> laneChoices() {
        return laneChoices;
    }

    public ObservableList<String> agentChoices() {
        return agentChoices;
    }

    /** Whether any filter hides tasks. */
    public boolean filtering() {
        return !(ANY.equals(statusFilter.get()) && ANY.equals(priorityFilter.get()) && ANY.equals(waveFilter.get())
                && ANY.equals(laneFilter.get()) && ANY.equals(agentFilter.get()) && textFilter.get().isBlank());
    }

    public void clearFilters() {
        statusFilter.set(ANY);
        priorityFilter.set(ANY);
        waveFilter.set(ANY);
        laneFilter.set(ANY);
        agentFilter.set(ANY);
        textFilter.set("");
    }

    /** Called on the FX thread with freshly loaded rows. */
    public void show(String planName, List<TaskRow> tasks) {
        rows.setAll(tasks);
        heading.set(planName.isEmpty() ? "Tasks" : "Tasks — " + planName);
        choices(statusChoices, tasks, TaskRow::status, Comparator.comparingInt(TaskRow::orderOf));
        choices(priorityChoices, tasks, r -> String.valueOf(r.task().spec().priority()),
                Comparator.<String>comparingInt(Integer::parseInt).reversed());
        choices(waveChoices, tasks, r -> String.valueOf(r.wave()), Comparator.comparingInt(Integer::parseInt));
        choices(laneChoices, tasks, TaskRow::lane, Comparator.naturalOrder());
        choices(agentChoices, tasks, TaskRow::preference, Comparator.naturalOrder());
    }

    /** The distinct values of the rows, "any" first; a chosen value that vanished stays so the filter is not silently lost. */
    private static void choices(ObservableList<String> target, List<TaskRow> tasks, Function<TaskRow, String> value,
                                Comparator<String> order) {
        TreeSet<String> values = new TreeSet<>(order);
        tasks.stream().map(value).filter(v -> !v.isEmpty()).forEach(values::add);
        List<String> next = new java.util.ArrayList<>();
        next.add(ANY);
        next.addAll(values);
        if (!next.equals(target)) {
            target.setAll(next);
        }
    }

    private Predicate<TaskRow> predicate() {
        String status = statusFilter.get();
        String priority = priorityFilter.get();
        String wave = waveFilter.get();
        String lane = laneFilter.get();
        String agent = agentFilter.get();
        String text = Objects.requireNonNullElse(textFilter.get(), "").strip().toLowerCase(Locale.ROOT);
        return row -> matches(status, row.status())
                && matches(priority, String.valueOf(row.task().spec().priority()))
                && matches(wave, String.valueOf(row.wave()))
                && matches(lane, row.lane())
                && matches(agent, row.preference())
                && (text.isEmpty() || searchText(row).contains(text));
    }

    /** What the free-text filter looks through, lower case: key, title, prompt and command. */
    private static String searchText(TaskRow row) {
        return (row.key() + "\n" + row.title() + "\n" + row.task().spec().prompt().orElse("") + "\n"
                + row.task().spec().command().orElse("")).toLowerCase(Locale.ROOT);
    }

    private static boolean matches(String choice, String value) {
        return choice == null || ANY.equals(choice) || choice.equals(value);
    }
}
