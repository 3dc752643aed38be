/**
 * Spring AOT without its catch: the settings the build-time plan was made with are recorded with it,
 * and a start whose settings would have planned other beans starts without the plan instead of
 * ignoring them.
 */
package dev.talktoserver.aot;
