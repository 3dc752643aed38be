package dev.talktoserver.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A self-signed certificate made at test time by the JDK's own {@code keytool}, as the README tells an
 * operator to: a PKCS#12 key store for the server and the certificate as PEM for clients to trust.
 *
 * @param keyStore the PKCS#12 file with the private key and certificate, under {@link #ALIAS}
 * @param certificate the certificate alone, PEM-encoded
 */
public record TestCertificate(Path keyStore, Path certificate) {

	public static final String ALIAS = "talk";

	/** Test material only: a key store that lives for one test run in a temporary directory. */
	public static final String PASSWORD = "changeit";

	private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

	/**
	 * Makes a key pair and certificate valid for {@code subjectAlternativeNames} (keytool's syntax, e.g.
	 * {@code dns:localhost,ip:127.0.0.1}) in {@code directory}, as {@code NAME.p12} and {@code NAME.pem}.
	 */
	public static TestCertificate create(Path directory, String name, String subjectAlternativeNames) {
		Path keyStore = directory.resolve(name + ".p12");
		Path certificate = directory.resolve(name + ".pem");
		keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname",
				"CN=" + name, "-ext", "SAN=" + subjectAlternativeNames, "-keystore", keyStore.toString(),
				"-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
		keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
				"-file", certificate.toString());
		return new TestCertificate(keyStore, certificate);
	}

	/** A client's TLS context that trusts this certificate and nothing else. */
	public SSLContext trustingClientContext() {
		try (InputStream in = Files.newInputStream(this.certificate)) {
			KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
			trusted.load(null, null);
			trusted.setCertificateEntry(ALIAS, CertificateFactory.getInstance("X.509").generateCertificate(in));
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (IOException | java.security.GeneralSecurityException ex) {
			throw new IllegalStateException("could not load " + this.certificate, ex);
		}
	}

	/**
	 * Serves the application over TLS with this key store, through the standard Spring Boot SSL bundle
	 * properties, as the README shows: bundle {@code bundle}, reloaded when the file changes.
	 */
	public void serve(DynamicPropertyRegistry registry, String bundle) {
		String prefix = "spring.ssl.bundle.jks." + bundle + ".";
		registry.add(prefix + "keystore.location", () -> "file:" + this.keyStore);
		registry.add(prefix + "keystore.password", () -> PASSWORD);
		registry.add(prefix + "keystore.type", () -> "PKCS12");
		registry.add(prefix + "key.alias", () -> ALIAS);
		registry.add(prefix + "reload-on-update", () -> "true");
		registry.add("server.ssl.bundle", () -> bundle);
	}

	private static void keytool(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not run keytool", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running keytool", ex);
		}
	}

}
