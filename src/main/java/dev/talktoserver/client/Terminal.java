package dev.talktoserver.client;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard input and output are a person's terminal rather than a pipe or a file. */
final class Terminal {

	private Terminal() {
	}

	static boolean isInteractive() {
		Console console = System.console();
		if (console == null) {
			return false;
		}
		// From Java 22 on, System.console() is never null; Console.isTerminal() says what it used to.
		try {
			Method isTerminal = Console.class.getMethod("isTerminal");
			return (Boolean) isTerminal.invoke(console);
		}
		catch (ReflectiveOperationException ex) {
			return true;
		}
	}

}
