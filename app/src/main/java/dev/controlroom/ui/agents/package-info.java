/** The agents pane: a card per agent with its status and current work, hiring, editing, firing and rehiring. */
package dev.controlroom.ui.agents;
