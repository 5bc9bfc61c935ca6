/** The local HTTP door (REST and a server-sent event stream) into the same engine controls and store reads as the window and the command line. */
package dev.controlroom.api;
