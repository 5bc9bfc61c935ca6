/** A terminal emulator's screen model fed raw PTY bytes (pure Java, testable), and the Canvas view that draws it. */
package dev.controlroom.ui.term;
