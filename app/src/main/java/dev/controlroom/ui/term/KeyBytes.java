package dev.controlroom.ui.term;

import javafx.scene.input.KeyCode;

import java.util.Optional;

/** The bytes an xterm sends for a key that is not plain text (Enter, arrows, Ctrl+letter...). */
final class KeyBytes {
    private KeyBytes() {
    }

    static Optional<String> of(KeyCode code, boolean ctrl, boolean shift, boolean alt, boolean appCursor) {
        String csi = appCursor ? "\u001bO" : "\u001b[";
        String s = switch (code) {
            case ENTER -> "\r";
            case BACK_SPACE -> ctrl ? "\b" : "\u007f";
            case TAB -> shift ? "\u001b[Z" : "\t";
            case ESCAPE -> "\u001b";
            case UP -> csi + "A";
            case DOWN -> csi + "B";
            case RIGHT -> csi + "C";
            case LEFT -> csi + "D";
            case HOME -> csi + "H";
            case END -> csi + "F";
            case PAGE_UP -> "\u001b[5~";
            case PAGE_DOWN -> "\u001b[6~";
            case INSERT -> "\u001b[2~";
            case DELETE -> "\u001b[3~";
            case F1 -> "\u001bOP";
            case F2 -> "\u001bOQ";
            case F3 -> "\u001bOR";
            case F4 -> "\u001bOS";
            default -> null;
        };
        if (s != null) {
            return Optional.of(s);
        }
        if (ctrl && code.isLetterKey()) {
            return Optional.of(String.valueOf((char) (code.getName().charAt(0) - 'A' + 1)));
        }
        if (ctrl && code == KeyCode.SPACE) {
            return Optional.of("\u0000");
        }
        if (ctrl && (code == KeyCode.OPEN_BRACKET)) {
            return Optional.of("\u001b");
        }
        return Optional.empty();
    }
}
