package dev.talktoserver.support;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Tools from outside Maven that some tests need (a browser, Node's {@code ws}, Python's
 * {@code websockets}): where one is missing, the test is skipped with the command that installs it,
 * except under {@code CI=true}, where it fails: CI installs them, and a skipped test there would hide a
 * broken set-up.
 */
public final class RequiredTools {

	private RequiredTools() {
	}

	/**
	 * Returns when nothing is missing; otherwise skips the calling test, or fails it under
	 * {@code CI=true}.
	 * @param missing what is missing, empty when nothing is
	 * @param install the command that installs it
	 */
	public static void assumePresent(String missing, String install) {
		if (missing.isEmpty()) {
			return;
		}
		if ("true".equals(System.getenv("CI"))) {
			fail("CI=true, where this test must run, but " + missing + " not installed (" + install + ")");
		}
		Assumptions.abort("skipped: " + missing + " not installed (" + install + ")");
	}

}
