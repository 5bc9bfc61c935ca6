package dev.controlroom.ui.review;

import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * One diff row: old and new line numbers, the sign, and the line cut into coloured tokens. The
 * row's kind ({@code .diff-added}, ...) colours its background; the list only builds rows for the
 * lines in view, so long diffs stay cheap.
 */
final class DiffCell extends ListCell<DiffLine> {
    private final ObservableValue<Syntax.Language> language;
    private final Label oldNumber = new Label();
    private final Label newNumber = new Label();
    private final Label sign = new Label();
    private final TextFlow code = new TextFlow();
    private final HBox row = new HBox(oldNumber, newNumber, sign, code);

    DiffCell(ObservableValue<Syntax.Language> language) {
        this.language = language;
        getStyleClass().add("diff-cell");
        row.getStyleClass().add("diff-row");
        oldNumber.getStyleClass().add("diff-number");
        newNumber.getStyleClass().add("diff-number");
        sign.getStyleClass().add("diff-sign");
        code.getStyleClass().add("diff-code");
    }

    @Override
    protected void updateItem(DiffLine line, boolean empty) {
        super.updateItem(line, empty);
        getStyleClass().removeIf(c -> c.startsWith("diff-") && !c.equals("diff-cell"));
        if (empty || line == null) {
            setGraphic(null);
            setText(null);
            return;
        }
        getStyleClass().add(line.kind().styleClass());
        oldNumber.setText(line.oldNumber().isPresent() ? Integer.toString(line.oldNumber().getAsInt()) : "");
        newNumber.setText(line.newNumber().isPresent() ? Integer.toString(line.newNumber().getAsInt()) : "");
        sign.setText(line.sign());
        boolean source = line.kind() == DiffLine.Kind.ADDED || line.kind() == DiffLine.Kind.REMOVED || line.kind() == DiffLine.Kind.CONTEXT;
        code.getChildren().setAll(source
                ? Syntax.tokens(language.getValue(), expandTabs(line.text())).stream().map(DiffCell::text).toList()
                : java.util.List.of(text(new Syntax.Span(Syntax.Kind.PLAIN, line.text()))));
        setText(null);
        setGraphic(row);
    }

    private static Text text(Syntax.Span span) {
        Text t = new Text(span.text());
        t.getStyleClass().addAll("diff-token", span.kind().styleClass());
        return t;
    }

    private static String expandTabs(String s) {
        return s.indexOf('\t') < 0 ? s : s.replace("\t", "    ");
    }
}
