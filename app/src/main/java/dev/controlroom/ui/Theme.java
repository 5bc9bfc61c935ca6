package dev.controlroom.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;

import java.util.Arrays;
import java.util.Optional;

/** The two looks of the window, both AtlantaFX Primer themes. */
public enum Theme {
    DARK("dark", new PrimerDark().getUserAgentStylesheet()),
    LIGHT("light", new PrimerLight().getUserAgentStylesheet());

    private final String id;
    private final String stylesheet;

    Theme(String id, String stylesheet) {
        this.id = id;
        this.stylesheet = stylesheet;
    }

    public String id() {
        return id;
    }

    public String stylesheet() {
        return stylesheet;
    }

    public Theme other() {
        return this == DARK ? LIGHT : DARK;
    }

    public static Optional<Theme> fromId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }
}
