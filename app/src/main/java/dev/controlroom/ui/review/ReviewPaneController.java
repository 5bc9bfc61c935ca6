package dev.controlroom.ui.review;

import dev.controlroom.orchestrator.port.WorktreeReview.ChangedFile;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The Review tab: binds to {@link ReviewViewModel} and forwards the buttons; decides nothing. */
public final class ReviewPaneController {
    private final ReviewViewModel viewModel;

    @FXML
    private Label emptyLabel;
    @FXML
    private VBox content;
    @FXML
    private Label titleLabel;
    @FXML
    private Label branchesLabel;
    @FXML
    private Label summaryLabel;
    @FXML
    private Button mergeButton;
    @FXML
    private Button squashButton;
    @FXML
    private Button discardButton;
    @FXML
    private Button editorButton;
    @FXML
    private Button terminalButton;
    @FXML
    private HBox busyBar;
    @FXML
    private ProgressIndicator busyIndicator;
    @FXML
    private Label busyLabel;
    @FXML
    private HBox confirmBar;
    @FXML
    private Label resultLabel;
    @FXML
    private Label reviewErrorLabel;
    @FXML
    private ListView<ChangedFile> fileList;
    @FXML
    private Label diffTitle;
    @FXML
    private ListView<DiffLine> diffList;

    public ReviewPaneController(ReviewViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        emptyLabel.textProperty().bind(viewModel.emptyMessageProperty());
        emptyLabel.visibleProperty().bind(viewModel.emptyMessageProperty().isNotEmpty());
        emptyLabel.managedProperty().bind(emptyLabel.visibleProperty());
        content.visibleProperty().bind(viewModel.titleProperty().isNotEmpty());
        content.managedProperty().bind(content.visibleProperty());
        titleLabel.textProperty().bind(viewModel.titleProperty());
        branchesLabel.textProperty().bind(viewModel.branchesProperty());
        summaryLabel.textProperty().bind(viewModel.summaryProperty());
        mergeButton.disableProperty().bind(viewModel.canMergeProperty().not());
        squashButton.disableProperty().bind(viewModel.canMergeProperty().not());
        discardButton.disableProperty().bind(viewModel.canDiscardProperty().not());
        editorButton.disableProperty().bind(viewModel.canOpenProperty().not());
        terminalButton.disableProperty().bind(viewModel.canOpenProperty().not());
        busyBar.visibleProperty().bind(viewModel.busyProperty());
        busyBar.managedProperty().bind(busyBar.visibleProperty());
        busyLabel.textProperty().bind(viewModel.busyTextProperty());
        busyIndicator.visibleProperty().bind(viewModel.busyProperty());
        confirmBar.visibleProperty().bind(viewModel.confirmingDiscardProperty());
        confirmBar.managedProperty().bind(confirmBar.visibleProperty());
        bindMessage(resultLabel, viewModel.resultProperty());
        bindMessage(reviewErrorLabel, viewModel.errorProperty());

        fileList.setItems(viewModel.files());
        fileList.setCellFactory(list -> new FileCell());
        fileList.getSelectionModel().selectedItemProperty().addListener((obs, old, file) -> viewModel.select(file));
        viewModel.selectedFileProperty().addListener((obs, old, file) -> file.ifPresent(f -> fileList.getSelectionModel().select(f)));
        diffTitle.textProperty().bind(viewModel.diffTitleProperty());
        diffList.setItems(viewModel.diffRows());
        diffList.setCellFactory(list -> new DiffCell(viewModel.languageProperty()));
    }

    private static void bindMessage(Label label, javafx.beans.value.ObservableStringValue text) {
        label.textProperty().bind(text);
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
    }

    @FXML
    void onMerge() {
        viewModel.merge();
    }

    @FXML
    void onSquash() {
        viewModel.squash();
    }

    @FXML
    void onDiscard() {
        viewModel.askDiscard();
    }

    @FXML
    void onConfirmDiscard() {
        viewModel.confirmDiscard();
    }

    @FXML
    void onKeep() {
        viewModel.keepWorktree();
    }

    @FXML
    void onEditor() {
        viewModel.openInEditor();
    }

    @FXML
    void onTerminal() {
        viewModel.openTerminal();
    }

    @FXML
    void onCancel() {
        viewModel.cancel();
    }

    @FXML
    void onReload() {
        viewModel.reload();
    }

    /** A changed file: status letter, path, +added −removed. */
    private static final class FileCell extends ListCell<ChangedFile> {
        private final Label status = new Label();
        private final Label path = new Label();
        private final Label added = new Label();
        private final Label removed = new Label();
        private final HBox row = new HBox(6, status, path, spacer(), added, removed);

        FileCell() {
            row.getStyleClass().add("review-file");
            status.getStyleClass().add("review-status");
            path.getStyleClass().add("review-path");
            added.getStyleClass().add("review-added");
            removed.getStyleClass().add("review-removed");
            path.setMinWidth(0);
            HBox.setHgrow(path, Priority.SOMETIMES);
        }

        private static Region spacer() {
            Region r = new Region();
            HBox.setHgrow(r, Priority.ALWAYS);
            return r;
        }

        @Override
        protected void updateItem(ChangedFile file, boolean empty) {
            super.updateItem(file, empty);
            status.getStyleClass().removeIf(c -> c.startsWith("review-status-"));
            if (empty || file == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            status.setText(file.status().letter());
            status.getStyleClass().add("review-status-" + file.status().letter().toLowerCase(java.util.Locale.ROOT));
            path.setText(file.oldPath().map(o -> o + " → ").orElse("") + file.path());
            added.setText(file.binary() ? "binary" : "+" + file.added());
            removed.setText(file.binary() ? "" : "−" + file.removed());
            setText(null);
            setGraphic(row);
        }
    }
}
