/** The Review tab: a task's changes against its base, a syntax-coloured diff, and merge, squash, discard, open in editor or terminal. */
package dev.controlroom.ui.review;
