package io.clpipe.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Key material for a secured test broker, made with the JDK's own {@code keytool} (run as a
 * process, as an operator would): a self-signed certificate for {@code localhost} in a PKCS12 key
 * store, and a trust store holding that certificate, plus a random super-user password.
 */
public final class TestTls {

    public static final String SUBJECT = "CN=clpipe-broker";

    private TestTls() {
    }

    /** Writes {@code broker.keystore.p12} and {@code truststore.p12} into {@code dir}. */
    public static BrokerSecurity create(Path dir) throws IOException, InterruptedException {
        String password = UUID.randomUUID().toString().replace("-", "");
        Path keyStore = dir.resolve("broker.keystore.p12");
        Path trustStore = dir.resolve("truststore.p12");
        Path cert = dir.resolve("broker.crt");
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                "-dname", SUBJECT, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        keytool(dir, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", password,
                "-file", cert.toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-keystore", trustStore.toString(),
                "-storetype", "PKCS12", "-storepass", password);
        return new BrokerSecurity(keyStore, trustStore, password, SUBJECT, "clpipe-broker",
                UUID.randomUUID().toString().replace("-", ""));
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }
}
