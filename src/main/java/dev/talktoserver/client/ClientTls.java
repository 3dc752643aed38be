package dev.talktoserver.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Whom a {@code wss://} connection trusts: the Java runtime's CA certificates (the default), the
 * certificates of {@code --ca-cert}, or, with {@code --insecure}, anyone. Tomcat's client checks the host
 * name against the certificate in the first two cases.
 */
final class ClientTls {

	private ClientTls() {
	}

	/**
	 * A context that trusts the certificates in {@code file} (PEM, one or more, or DER): the server's own
	 * self-signed certificate, or the CA that signed it.
	 */
	static SSLContext trusting(Path file) {
		Collection<? extends Certificate> certificates;
		try (InputStream in = Files.newInputStream(file)) {
			certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
		}
		catch (NoSuchFileException ex) {
			throw unusable(file, "no such file");
		}
		catch (IOException | CertificateException ex) {
			throw unusable(file, "not a PEM certificate (" + ex.getMessage() + ")");
		}
		if (certificates.isEmpty()) {
			throw unusable(file, "no certificate in it");
		}
		try {
			KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
			trusted.load(null, null);
			int i = 0;
			for (Certificate certificate : certificates) {
				trusted.setCertificateEntry("ca-cert-" + i++, certificate);
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			return context(trust.getTrustManagers());
		}
		catch (IOException | GeneralSecurityException ex) {
			throw unusable(file, ex.getMessage());
		}
	}

	/**
	 * A context that trusts any certificate for any host. An {@link X509ExtendedTrustManager}, because the
	 * JDK would wrap a plain one and check the host name after all.
	 */
	static SSLContext trustingAnyone() {
		return context(new TrustManager[] { new TrustingAnyone() });
	}

	private static SSLContext context(TrustManager[] trustManagers) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagers, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("this Java runtime has no TLS", ex);
		}
	}

	private static ClientFailure unusable(Path file, String why) {
		return new ClientFailure(ExitCode.USAGE, "cannot use --ca-cert " + file + ": " + why
				+ "; give the server's certificate, or its CA's, as a PEM file");
	}

	private static final class TrustingAnyone extends X509ExtendedTrustManager {

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			throw new CertificateException("a client does not check clients");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			throw new CertificateException("a client does not check clients");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("a client does not check clients");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
