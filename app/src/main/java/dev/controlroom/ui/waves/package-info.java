/** The waves pane: a lane per dependency wave, a box per task, arrows for the dependencies between them. */
package dev.controlroom.ui.waves;
