package io.clpipe.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What an operator does on a secured cluster before starting clpipe, with Kafka's Admin API (the
 * equivalent of {@code kafka-configs --alter --add-config SCRAM-SHA-512=...} and {@code kafka-acls --add}).
 */
public final class SecurityAdmin {

    private final Admin admin;
    private final List<AclBinding> pending = new ArrayList<>();

    public SecurityAdmin(Admin admin) {
        this.admin = admin;
    }

    /** Creates or replaces the SCRAM-SHA-512 credential of {@code user}. */
    public SecurityAdmin user(String user, String password) throws Exception {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get(30, TimeUnit.SECONDS);
        return this;
    }

    /** Queues an ALLOW ACL for {@code User:user} on a literal or prefixed resource. */
    public SecurityAdmin allow(String user, ResourceType type, String name, PatternType pattern, AclOperation... operations) {
        for (AclOperation op : operations) {
            pending.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
        }
        return this;
    }

    /** Creates the queued ACLs. */
    public void apply() throws Exception {
        admin.createAcls(List.copyOf(pending)).all().get(30, TimeUnit.SECONDS);
        pending.clear();
    }
}
