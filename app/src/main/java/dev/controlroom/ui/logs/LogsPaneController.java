package dev.controlroom.ui.logs;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;

/** The log pane: what the selected task's newest session printed. */
public final class LogsPaneController {
    private final LogsViewModel viewModel;

    @FXML
    private ListView<String> outputList;
    @FXML
    private Label outputTitle;

    public LogsPaneController(LogsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        outputList.setItems(viewModel.output());
        outputList.setPlaceholder(new Label("No output yet."));
        outputTitle.textProperty().bind(viewModel.outputTitleProperty());
        // Follow the newest line, as a terminal does.
        viewModel.output().addListener((javafx.collections.ListChangeListener<String>) c -> {
            if (!viewModel.output().isEmpty()) {
                outputList.scrollTo(viewModel.output().size() - 1);
            }
        });
    }
}
