package io.clpipe.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A secured embedded broker: clients connect over SASL_SSL with SCRAM-SHA-512, requests are
 * authorised by KRaft's {@code StandardAuthorizer} (deny unless an ACL allows), and the KRaft
 * controller listener is TLS with client certificates.
 *
 * <p>The broker authenticates to itself (transaction markers, the inter-broker listener) as the
 * SCRAM user {@code superUser}, whose credential is written into the metadata log when the data
 * directory is formatted; the controller listener's principal is the subject of the key store's
 * certificate ({@code User:CN=...}). Both are super users; every other principal needs ACLs.
 *
 * @param keyStore           PKCS12 key store holding the broker's private key and certificate (with
 *                           {@code localhost} in its subject alternative names: clients verify it)
 * @param trustStore         PKCS12 trust store with the certificate that signed it
 * @param storePassword      password of both stores and of the key
 * @param certificateSubject the certificate's subject, e.g. {@code CN=clpipe-broker}: the principal of
 *                           the controller listener
 * @param superUser          SCRAM user name of the broker itself
 * @param superUserPassword  its password
 */
public record BrokerSecurity(Path keyStore, Path trustStore, String storePassword, String certificateSubject,
                             String superUser, String superUserPassword) {

    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String LISTENER = "SASL_SSL";

    public BrokerSecurity {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(storePassword, "storePassword");
        Objects.requireNonNull(certificateSubject, "certificateSubject");
        Objects.requireNonNull(superUser, "superUser");
        Objects.requireNonNull(superUserPassword, "superUserPassword");
        if (superUser.contains("\"") || superUserPassword.contains("\"") || superUser.contains(",") || superUser.contains("=")) {
            throw new IllegalArgumentException("SCRAM user names must not contain '\"', ',' or '='; passwords no '\"'");
        }
    }

    /** The JAAS line a client logs in with. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
