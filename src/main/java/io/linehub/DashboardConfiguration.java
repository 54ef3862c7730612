package io.linehub;

import io.linehub.auth.AdminAudit;
import io.linehub.auth.ApiKeys;
import io.linehub.dashboard.Dashboard;
import io.linehub.dashboard.DashboardSessions;
import io.linehub.inbox.FileDrops;
import io.linehub.line.LineChannels;
import io.linehub.outbox.ChannelPauses;
import io.linehub.outbox.DeadLetters;
import io.linehub.outbox.NotificationReadModel;
import io.linehub.outbox.RateBudgets;
import io.linehub.template.TemplatePreview;
import org.apache.camel.CamelContext;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/** Wiring of the dashboard (routes/dashboard.camel.yaml) from hub.dashboard.* settings and the hub's beans. */
final class DashboardConfiguration {

    private DashboardConfiguration() {
    }

    static Dashboard dashboard(CamelContext context, ApiKeys keys, AdminAudit audit, DataSource hubDb, DeadLetters deadLetters, ChannelPauses pauses,
                               TemplatePreview templates, LineChannels channels, RateBudgets budgets, Clock clock) {
        var p = context.getPropertiesComponent();
        DashboardSessions sessions = new DashboardSessions(clock,
                Duration.ofMinutes(Long.parseLong(HubSettings.required(p, "hub.dashboard.session-idle-minutes"))),
                Duration.ofHours(Long.parseLong(HubSettings.required(p, "hub.dashboard.session-max-hours"))));
        boolean secure = Boolean.parseBoolean(HubSettings.required(p, "hub.dashboard.secure-cookie"));
        FileDrops files = context.getRegistry().lookupByNameAndType("fileDrops", FileDrops.class);
        return new Dashboard(sessions, keys, audit, new NotificationReadModel(hubDb), deadLetters, pauses, files, templates, channels, budgets,
                context.createProducerTemplate(), hubDb, clock, secure);
    }
}
