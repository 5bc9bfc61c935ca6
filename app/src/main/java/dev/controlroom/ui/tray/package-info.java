/**
 * The system tray door: an icon whose look says the engine's state, a menu to act on every run,
 * and notifications; the only user of java.awt, whose thread never waits on the FX thread.
 */
package dev.controlroom.ui.tray;
