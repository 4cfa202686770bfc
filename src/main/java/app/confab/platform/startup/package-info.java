/**
 * Start-up diagnostics: each bad deployment setting ends the start with one line naming the
 * variable, the problem and a right value (Spring Boot failure analyzers, registered in
 * META-INF/spring.factories), instead of a bean-creation chain and a stack trace.
 */
package app.confab.platform.startup;
