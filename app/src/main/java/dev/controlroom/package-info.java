/** Control Room: the launcher; everything else lives in the role packages below. */
package dev.controlroom;
