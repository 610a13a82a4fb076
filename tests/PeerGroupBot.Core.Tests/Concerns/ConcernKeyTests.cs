using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Core.Tests.Concerns;

public class ConcernKeyTests
{
    private static TestBot BotWith(Action<ConcernsOptions> configure, IStateStore? store = null)
        => new(store, configure: s => s.Configure(configure));

    [Fact]
    public async Task A_missing_key_stops_the_start_with_a_message_naming_the_setting()
    {
        await using var bot = BotWith(_ => { });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => bot.Get<ConcernKeyProvider>().EnsureReadyAsync(CancellationToken.None));
        Assert.Contains("Concerns:EncryptionKey", error.Message);
        Assert.Contains("openssl rand -base64 32", error.Message);
        Assert.Empty(await bot.DumpStoreAsync());
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("c2hvcnQ=")] // 5 bytes
    public async Task A_malformed_key_is_refused_even_when_generation_is_allowed(string key)
    {
        await using var bot = BotWith(o => { o.EncryptionKey = key; o.AllowGeneratedKey = true; });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => bot.Get<ConcernKeyProvider>().EnsureReadyAsync(CancellationToken.None));
        Assert.Contains("exactly 32", error.Message);
    }

    [Fact]
    public async Task In_development_a_key_is_generated_once_into_the_store_with_a_warning()
    {
        var store = new InMemoryStateStore();
        await using (var first = BotWith(o => o.AllowGeneratedKey = true, store))
        {
            await first.Get<ConcernKeyProvider>().EnsureReadyAsync(CancellationToken.None);
            Assert.Contains(first.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Concerns:EncryptionKey is not set"));
            await first.Get<DeliveryAddresses>().SealAsync("g1", 7, "discord:123", CancellationToken.None);
        }
        var stored = await store.GetAsync(ConcernKeyProvider.GeneratedKeyDocument);
        Assert.NotNull(stored);

        // A second instance (or a restart) uses the same key, so earlier addresses still open.
        await using var second = BotWith(o => o.AllowGeneratedKey = true, store);
        Assert.Equal("discord:123", await second.Get<DeliveryAddresses>().OpenAsync("g1", 7, CancellationToken.None));
        Assert.Equal(stored!.ETag, (await store.GetAsync(ConcernKeyProvider.GeneratedKeyDocument))!.ETag);
    }

    [Fact]
    public async Task A_configured_key_is_used_and_nothing_is_generated()
    {
        await using var bot = BotWith(o => { o.EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)); o.AllowGeneratedKey = true; });
        await bot.Get<ConcernKeyProvider>().EnsureReadyAsync(CancellationToken.None);
        Assert.Null(await bot.Store.GetAsync(ConcernKeyProvider.GeneratedKeyDocument));
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("Concerns:EncryptionKey is not set"));
    }

    [Fact]
    public void Sealed_addresses_open_only_with_the_same_key_and_for_the_same_concern()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var sealedAddress = Sealing.Seal(key, "concern-delivery/g1/1", "teams:29:abc");
        Assert.StartsWith("v1.", sealedAddress);
        Assert.NotEqual(sealedAddress, Sealing.Seal(key, "concern-delivery/g1/1", "teams:29:abc")); // fresh nonce each time
        Assert.Equal("teams:29:abc", Sealing.Open(key, "concern-delivery/g1/1", sealedAddress));
        Assert.Null(Sealing.Open(key, "concern-delivery/g1/2", sealedAddress));
        Assert.Null(Sealing.Open(RandomNumberGenerator.GetBytes(32), "concern-delivery/g1/1", sealedAddress));
        var tampered = sealedAddress[..^4] + (sealedAddress[^4] == 'A' ? "B" : "A") + sealedAddress[^3..];
        Assert.Null(Sealing.Open(key, "concern-delivery/g1/1", tampered));
        Assert.Null(Sealing.Open(key, "concern-delivery/g1/1", "v1.%%%"));
    }

    [Fact]
    public void Out_of_range_settings_are_reported_together()
    {
        var result = new ConcernsOptionsValidator().Validate(null, new ConcernsOptions
        {
            AllowGeneratedKey = true,
            RetentionDays = 0,
            MaxPerMemberPerDay = 0,
            PostDelayMinMinutes = 5,
            PostDelayMaxMinutes = 1,
        });
        Assert.True(result.Failed);
        Assert.Contains("RetentionDays", result.FailureMessage);
        Assert.Contains("MaxPerMemberPerDay", result.FailureMessage);
        Assert.Contains("PostDelayMinMinutes", result.FailureMessage);
        Assert.True(new ConcernsOptionsValidator().Validate(null, new ConcernsOptions { AllowGeneratedKey = true }).Succeeded);
    }
}
