package dev.controlroom.ui.agents;

import dev.controlroom.domain.AgentProfile;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.util.StringConverter;

import java.util.List;

/** The fields of the hire / edit dialog, bound both ways to an {@link AgentForm}. */
public final class AgentEditorController {
    private final AgentForm form;

    @FXML
    private TextField nameField;
    @FXML
    private TextField teamField;
    @FXML
    private ComboBox<AgentProfile> profileChooser;
    @FXML
    private TextField modelField;
    @FXML
    private TextField commandField;
    @FXML
    private Label commandHint;
    @FXML
    private Spinner<Integer> slotsSpinner;
    @FXML
    private CheckBox enabledBox;
    @FXML
    private Label problemLabel;

    public AgentEditorController(AgentForm form) {
        this.form = form;
    }

    @FXML
    void initialize() {
        nameField.textProperty().bindBidirectional(form.nameProperty());
        teamField.textProperty().bindBidirectional(form.teamProperty());
        profileChooser.getItems().setAll(List.of(AgentProfile.values()));
        profileChooser.setConverter(new StringConverter<>() {
            @Override
            public String toString(AgentProfile p) {
                return p == null ? "" : p.id();
            }

            @Override
            public AgentProfile fromString(String s) {
                return AgentProfile.fromId(s).orElse(null);
            }
        });
        profileChooser.valueProperty().bindBidirectional(form.profileProperty());
        form.profileProperty().addListener((obs, old, chosen) -> form.profileChosen(old, chosen));
        modelField.textProperty().bindBidirectional(form.modelProperty());
        commandField.textProperty().bindBidirectional(form.commandProperty());
        commandField.disableProperty().bind(form.profileProperty().isEqualTo(AgentProfile.SHELL));
        commandField.promptTextProperty().bind(form.profileProperty().map(p -> p == AgentProfile.CUSTOM
                ? "my-agent --prompt {prompt}" : p == AgentProfile.SHELL ? "" : p.executable().orElse("")));
        commandHint.textProperty().bind(form.profileProperty().map(AgentForm::commandHint));
        var slots = new SpinnerValueFactory.IntegerSpinnerValueFactory(1, AgentForm.MAX_SLOTS, form.slotsProperty().get());
        slotsSpinner.setValueFactory(slots);
        slots.valueProperty().bindBidirectional(form.slotsProperty());
        enabledBox.selectedProperty().bindBidirectional(form.enabledProperty());
        problemLabel.textProperty().bind(form.problemProperty());
    }
}
