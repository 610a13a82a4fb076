using System.Diagnostics;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;
using PeerGroupBot.Scheduling;
using PeerGroupBot.Storage.Folder;
using Quartz;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Bench;

/// <summary>What one start of the host over many groups measured.</summary>
public sealed record ScaleResult(double StartMs, double TriggersReadyMs, int QuartzTriggers, long WorkingSetBytes, long ManagedHeapBytes, long StorageCallsToReady, double IdleCallsPerSecond);

/// <summary>
/// Many groups, each with a weekly session schedule and its reminder timer, stored the way the sessions feature
/// stores them (group document, schedule document, one "session-reminder" timer document). Then the host starts
/// over that folder: how long until it serves, how long until Quartz holds a trigger per timer, memory, and how
/// many storage calls the scheduler makes while idle.
/// </summary>
public static class ScaleBench
{
    public static async Task<string> SeedAsync(int groups)
    {
        var folder = Directory.CreateTempSubdirectory("pgb-scale-").FullName;
        var documents = new Documents(new FolderStateStore(folder));
        var now = SystemClock.Instance.GetCurrentInstant();
        var days = new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday };
        var zones = new[] { "Europe/London", "America/New_York", "Europe/Berlin", "Australia/Sydney" };
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, groups), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (g, ct) =>
        {
            var id = $"scale{g:x5}";
            var group = new GroupDocument
            {
                Id = id,
                Name = $"Scale group {g}",
                TimeZone = zones[g % zones.Length],
                CreatedAt = now,
                Channels = [new ChannelLink(new ChannelRef("discord", (600_000_000 + g).ToString(System.Globalization.CultureInfo.InvariantCulture)), ChannelPurpose.Main)],
            };
            var schedule = new SessionSchedule
            {
                Rule = new SessionRule
                {
                    Repeat = SessionRepeat.Weekly,
                    Day = days[g % 7],
                    Time = new LocalTime(9 + g % 12, (g % 4) * 15),
                    From = now.InZone(group.Zone).Date,
                },
            };
            await documents.TryCreateAsync(GroupDocument.KeyFor(id), group, ct);
            await documents.TryCreateAsync(SessionSchedule.KeyFor(id), schedule, ct);
            // What SessionReminders.RescheduleAsync stores: the group's next reminder.
            var next = SessionRecurrence.RemindersAfter(schedule, group.Zone, now).First();
            var timer = new TimerDocument(id, SessionReminders.TimerId, SessionReminders.TimerKind, next.Due, next.Session.Id);
            await documents.TryCreateAsync(timer.Key, timer, ct);
        });
        Console.WriteLine($"[scale] seeded {groups} groups (group, weekly schedule, reminder timer) in {clock.Elapsed.TotalSeconds:0.0} s at {folder}");
        return folder;
    }

    public static async Task<ScaleResult> MeasureAsync(string folder, int groups, TimeSpan idleWindow)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        await using var upstream = await FakeUpstream.StartAsync();
        using var discord = new DiscordDriver();
        var host = await BenchHost.StartAsync(StoreChoice.Folder(folder), upstream.BaseUrl, discord.PublicKeyHex,
            ["--Scheduling:InstanceId=bench-scale"]);
        try
        {
            var triggers = host.Services.GetRequiredService<QuartzTimerTriggers>();
            var clock = Stopwatch.StartNew();
            var limit = TimeSpan.FromMinutes(3);
            while (triggers.Count < groups && clock.Elapsed < limit) await Task.Delay(20);
            var ready = host.StartTime + clock.Elapsed;
            var callsToReady = host.Store.Total;

            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetAllSchedulers();
            var quartzTriggers = 0;
            foreach (var s in scheduler)
                quartzTriggers += (await s.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(QuartzTimerTriggers.TriggerGroup))).Count;

            var before = host.Store.Total;
            await Task.Delay(idleWindow);
            var idle = (host.Store.Total - before) / idleWindow.TotalSeconds;

            var managed = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            return new ScaleResult(host.StartTime.TotalMilliseconds, ready.TotalMilliseconds, quartzTriggers, process.WorkingSet64, managed, callsToReady, idle);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
