/** The local HTTP door (REST, a server-sent event stream and a WebSocket) into the same engine controls and store reads as the window and the command line. */
package dev.controlroom.api;
