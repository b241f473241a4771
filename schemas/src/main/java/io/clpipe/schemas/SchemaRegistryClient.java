package io.clpipe.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Writer schemas by id from a schema registry's Confluent-compatible REST API
 * ({@code GET <url>/schemas/ids/<id>}; Confluent Schema Registry, Apicurio's {@code /apis/ccompat/v7},
 * Redpanda, Karapace), cached for the life of the client: an id never changes its schema.
 * Opt-in through {@code schema.registry.url} in the client properties ({@code --kafka-config}), with
 * {@code basic.auth.user.info} ({@code user:password}) for HTTP basic auth, as Confluent's clients
 * read them (docs/records.md#schema-registry).
 */
public final class SchemaRegistryClient {

    public static final String URL = "schema.registry.url";
    public static final String USER_INFO = "basic.auth.user.info";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final Map<Integer, Schema> cache = new ConcurrentHashMap<>();

    public SchemaRegistryClient(String url, String userInfo) {
        String trimmed = url.trim();
        this.base = URI.create(trimmed.endsWith("/") ? trimmed : trimmed + "/");
        this.authorization = userInfo == null || userInfo.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The client the properties ask for: empty without {@code schema.registry.url}. Several comma-separated URLs: the first. */
    public static Optional<SchemaRegistryClient> from(Properties clientProperties) {
        String url = clientProperties.getProperty(URL);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new SchemaRegistryClient(url.split(",")[0], clientProperties.getProperty(USER_INFO)));
    }

    /** Removes the registry settings, which are no Kafka client settings (Kafka would warn about them). */
    public static Properties withoutRegistrySettings(Properties clientProperties) {
        Properties kafka = (Properties) clientProperties.clone();
        kafka.remove(URL);
        kafka.remove(USER_INFO);
        kafka.remove("basic.auth.credentials.source");
        return kafka;
    }

    /**
     * The registry cannot be asked (down, 5xx, wrong credentials): not the record's fault, so it must
     * not dead-letter the record; ingest stops with it and, restarted, reads the record again.
     */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @throws SerializationException when the registry has no such id (404) or returns something that
     *                                is not an Avro schema: the record cannot be read
     * @throws Unavailable            when the registry does not answer, fails or refuses the credentials
     */
    public Schema schema(int id) {
        Schema cached = cache.get(id);
        if (cached != null) {
            return cached;
        }
        Schema fetched = fetch(id);
        Schema raced = cache.putIfAbsent(id, fetched);
        return raced == null ? fetched : raced;
    }

    /** How many schemas were fetched and kept. */
    public int cachedSchemas() {
        return cache.size();
    }

    private Schema fetch(int id) {
        URI uri = base.resolve("schemas/ids/" + id);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable("schema registry " + base + " did not answer for schema id " + id + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while fetching schema id " + id, e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new Unavailable("schema registry " + base + " refused schema id " + id + " (HTTP " + status
                    + "): check " + USER_INFO, null);
        }
        if (status >= 500) {
            throw new Unavailable("schema registry " + base + " failed for schema id " + id + " (HTTP " + status + "): "
                    + abbreviate(response.body()), null);
        }
        if (status != 200) {
            throw new SerializationException("schema registry " + base + " has no schema id " + id + " (HTTP " + status + "): "
                    + abbreviate(response.body()));
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String type = body.path("schemaType").asText("AVRO");
            if (!type.equals("AVRO")) {
                throw new SerializationException("schema id " + id + " is a " + type + " schema; clpipe reads Avro");
            }
            return new Schema.Parser().parse(body.path("schema").asText());
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException s) {
                throw s;
            }
            throw new SerializationException("schema id " + id + " from " + base + " is not an Avro schema: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
