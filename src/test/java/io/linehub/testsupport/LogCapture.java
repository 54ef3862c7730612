package io.linehub.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.stream.Collectors;

/** Catches what the hub logs while a hostile case runs: no ERROR and no stack trace at WARN or above may be among it. */
public final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** ERROR events, and WARN events that carry a stack trace, as readable lines. */
    public List<String> errorsOrStackTraces() {
        synchronized (appender.list) {
            return appender.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null))
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + "]"))
                    .collect(Collectors.toList());
        }
    }

    /** Every message logged at WARN or above. */
    public List<String> warnings() {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        }
    }

    /** Everything logged, one message a line. */
    public String all() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
