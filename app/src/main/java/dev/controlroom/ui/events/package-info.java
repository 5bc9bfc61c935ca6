/** The events pane: the engine's event log, filterable. */
package dev.controlroom.ui.events;
