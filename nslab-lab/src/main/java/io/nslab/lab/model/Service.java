package io.nslab.lab.model;

/**
 * Something a node answers on while the lab is verified: a TCP or UDP echo or an HTTP server on {@code port},
 * run by nslab itself inside the namespace (the seeds' {@code python3 -m http.server 80}).
 */
public record Service(Proto proto, int port, Src src) {
}
