using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PeerGroupBot.Core.Telemetry;

namespace PeerGroupBot.Hosting;

/// <summary>Settings under <c>Telemetry:</c>. Nothing is exported unless <see cref="OtlpEndpoint"/> is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The OpenTelemetry collector to send metrics and traces to (OTLP), e.g. <c>http://localhost:4317</c>. Empty: telemetry is off.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (a collector's port 4317 by convention) or <c>http/protobuf</c> (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>The <c>service.name</c> the bot reports itself as.</summary>
    public string ServiceName { get; set; } = "peergroupbot";

    /// <summary>How often metrics are sent, in seconds.</summary>
    public int MetricIntervalSeconds { get; set; } = 60;
}

/// <summary>
/// OpenTelemetry for the host, off unless <c>Telemetry:OtlpEndpoint</c> is set: the core's, storage's and adapters'
/// <see cref="BotTelemetry"/> meter and activity source, exported over OTLP. Inbound HTTP requests are measured here by
/// endpoint template (never the path: Discord webhook paths hold tokens, playground paths could name people).
/// </summary>
public static class Telemetry
{
    public static IServiceCollection AddPeerGroupBotTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TelemetryOptions.Section);
        services.AddOptions<TelemetryOptions>()
            .Bind(section)
            .Validate(o => string.IsNullOrWhiteSpace(o.OtlpEndpoint) || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _), "Telemetry:OtlpEndpoint must be an absolute URL.")
            .Validate(o => o.OtlpProtocol is "grpc" or "http/protobuf", "Telemetry:OtlpProtocol must be grpc or http/protobuf.")
            .Validate(o => o.MetricIntervalSeconds is >= 1 and <= 3600, "Telemetry:MetricIntervalSeconds must be between 1 and 3600.")
            .ValidateOnStart();
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint) || !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint)) return services;

        var protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(string.IsNullOrWhiteSpace(options.ServiceName) ? "peergroupbot" : options.ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(BotTelemetry.Name)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = endpoint;
                    exporter.Protocol = protocol;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.MetricIntervalSeconds * 1000;
                }))
            .WithTracing(tracing => tracing
                .AddSource(BotTelemetry.Name)
                .AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = endpoint;
                    exporter.Protocol = protocol;
                }));
        return services;
    }

    /// <summary>Counts and times every request by its endpoint's route template and status code, in a span that the core's and storage's spans join.</summary>
    public static void UseRequestTelemetry(this WebApplication app)
        => app.Use(async (context, next) =>
        {
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            // The request's span is the root of its trace: ASP.NET Core's own activity is not exported (its tags
            // include paths), and a span under an unexported parent would be dropped by the default sampler.
            System.Diagnostics.Activity.Current = null;
            using var measured = new BotTelemetry.Measurement(BotTelemetry.Requests, BotTelemetry.RequestDuration,
                new System.Diagnostics.TagList { { "endpoint", endpoint } }, BotTelemetry.Source.StartActivity("http.request", System.Diagnostics.ActivityKind.Server));
            try
            {
                await next(context);
            }
            finally
            {
                measured.Done(context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        });
}
