package io.linehub.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.SftpException;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What goes wrong with an SFTP pickup, said once and clearly: the pickups' poll strategy and consumer exception handler
 * ({@code pollStrategy} and {@code exceptionHandler} {@code =#sftpPollFailures}).
 * <p>
 * A poll that fails says what went wrong in words an operator can act on (the server's host key is not the one in
 * known_hosts; the login was refused; the server cannot be reached), instead of camel-ftp's "Cannot connect/login" with
 * a stack trace at every poll: at ERROR when the failure starts or its reason changes, at DEBUG while it lasts, at INFO
 * when a poll works again. Every poll tries again (the route's {@code delay} is the pace). A file whose download broke
 * off, or whose move on the server failed, is a WARN saying that the file stays on the server and is fetched again.
 * Messages name the server as {@code sftp://user@host:port} and the known_hosts file, never a password or a key.
 */
public class SftpPollFailures implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SftpPollFailures.class);

    /** The reason each pickup's last poll failed, by route id (absent: it succeeded). */
    private final Map<String, String> failing = new ConcurrentHashMap<>();

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        String was = failing.remove(pickup(consumer, endpoint));
        if (was != null) {
            LOG.info("SFTP pickup {} ({}): polling works again", pickup(consumer, endpoint), server(endpoint));
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String pickup = pickup(consumer, endpoint);
        String reason = reason(cause, endpoint);
        String was = failing.put(pickup, reason);
        if (!reason.equals(was)) {
            LOG.error("SFTP pickup {} ({}): {}; tried again at every poll", pickup, server(endpoint), reason);
        } else {
            LOG.debug("SFTP pickup {} ({}) still failing: {}", pickup, server(endpoint), reason);
        }
        return false;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    /** Errors the consumer meets outside the route: a poll that failed (said above), a download or a server-side move. */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String text = message == null ? "" : message;
        if (text.startsWith("Failed polling endpoint")) {
            LOG.debug("{}: {}", text, messages(exception)); // rollback() said it once, clearly
            return;
        }
        String pickup = exchange == null || exchange.getFromRouteId() == null ? "" : " " + exchange.getFromRouteId();
        String then;
        if (text.startsWith("Error during commit")) {
            then = "the file was handed over to the inbox but stays on the server and is downloaded again at the next poll;"
                    + " its rows come back as duplicates, never twice";
        } else if (text.startsWith("Error processing file") || text.contains("cannot begin processing file")) {
            then = "nothing of it was handed over; the file stays on the server and is downloaded again at the next poll";
        } else {
            then = "tried again at the next poll";
        }
        LOG.warn("SFTP pickup{}: {}: {}; {}", pickup, text, messages(exception), then);
    }

    /** The messages of an exception and its causes (camel-ftp's and JSch's name files and servers, never secrets). */
    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 1000; c = c.getCause() == c ? null : c.getCause()) {
            b.append(b.length() == 0 ? "" : " <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return b.toString();
    }

    /** The reason of the last failed poll of a pickup (its route id), or null when its last poll worked. */
    public String lastFailure(String pickup) {
        return failing.get(pickup);
    }

    /** What went wrong, from the innermost cause that says it. */
    static String reason(Throwable cause, Endpoint endpoint) {
        String knownHosts = endpoint instanceof SftpEndpoint e ? e.getConfiguration().getKnownHostsFile() : null;
        String directory = endpoint instanceof SftpEndpoint e ? e.getConfiguration().getDirectory() : null;
        String where = knownHosts == null || knownHosts.isBlank() ? "the known_hosts file" : "the known_hosts file " + knownHosts;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JSchChangedHostKeyException) {
                return "host key refused: the server's host key is not the one " + where + " holds for it (the key changed, or another"
                        + " machine answers at this address); if the server's key was replaced on purpose, replace its line"
                        + " (ssh-keyscan -p <port> <host>, checked with the server's owner)";
            }
            if (t instanceof JSchUnknownHostKeyException || t instanceof JSchHostKeyException
                    || t instanceof JSchException && String.valueOf(t.getMessage()).startsWith("reject HostKey")) {
                return "host key refused: " + where + " has no key for this server (strict host key checking); add the server's key"
                        + " (ssh-keyscan -p <port> <host>, checked with the server's owner)";
            }
            if (t instanceof JSchException && String.valueOf(t.getMessage()).startsWith("Auth ")) {
                return "login refused: the server did not accept the username with the password or key given (check the"
                        + " pickup's username and the environment variables its password or privateKeyFile come from)";
            }
            if (t instanceof SftpException s && s.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return "the folder '" + directory + "' does not exist on the server (the hub never creates it: check the pickup's directory)";
            }
            if (t instanceof SftpException s && s.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
                return "the server refused access to the folder '" + directory + "' (permission denied for this user)";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "the server cannot be reached (" + t.getClass().getSimpleName() + ")";
            }
            if (t instanceof UnknownHostException) {
                return "the server's host name is not known (UnknownHostException)";
            }
            if (t instanceof SocketTimeoutException || t instanceof JSchException && String.valueOf(t.getMessage()).startsWith("timeout")) {
                return "the server did not answer in time";
            }
        }
        Throwable inner = cause;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        return inner.getClass().getSimpleName() + ": " + inner.getMessage();
    }

    private static String pickup(Consumer consumer, Endpoint endpoint) {
        String id = consumer instanceof RouteIdAware r ? r.getRouteId() : null;
        return id != null ? id : server(endpoint);
    }

    /** sftp://user@host:port/directory, without any option (so never a password). */
    private static String server(Endpoint endpoint) {
        if (endpoint instanceof SftpEndpoint e) {
            SftpConfiguration c = e.getConfiguration();
            return c.remoteServerInformation() + "/" + (c.getDirectory() == null ? "" : c.getDirectory());
        }
        return endpoint.getEndpointBaseUri();
    }
}
