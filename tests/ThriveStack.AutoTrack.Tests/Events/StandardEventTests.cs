using System.Runtime.CompilerServices;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.Events;

/// <summary>Typed standard events: what they send, and how misuse is caught (the compiler, or a logged drop).</summary>
public class StandardEventTests : CollectorTestBase
{
    [Theory]
    [InlineData(typeof(SignedUpEvent), nameof(SignedUpEvent.UserEmail))]
    [InlineData(typeof(AccountCreatedEvent), nameof(AccountCreatedEvent.AccountId))]
    [InlineData(typeof(AccountAddedUserEvent), nameof(AccountAddedUserEvent.AccountId))]
    [InlineData(typeof(FeatureUsedEvent), nameof(FeatureUsedEvent.FeatureName))]
    [InlineData(typeof(ProfileCompletedEvent), nameof(ProfileCompletedEvent.CompletionStatus))]
    [InlineData(typeof(InviteSentEvent), nameof(InviteSentEvent.InviteeEmail))]
    [InlineData(typeof(PageVisitEvent), nameof(PageVisitEvent.PageUrl))]
    public void KeyMember_IsRequired_SoLeavingItOutDoesNotCompile(Type type, string member)
        => Assert.True(type.GetProperty(member)!.IsDefined(typeof(RequiredMemberAttribute), inherit: false));

    [Fact]
    public void EveryStandardEvent_HasAType()
    {
        var names = typeof(StandardEvent).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(StandardEvent)) && !t.IsAbstract)
            .Select(t => ((StandardEvent)RuntimeHelpers.GetUninitializedObject(t)).EventName)
            .Order();

        Assert.Equal(typeof(StandardEvents).GetFields().Select(f => (string)f.GetValue(null)!).Order(), names);
    }

    [Fact]
    public void ToEvent_AccountEvents_TheAccountIsTheGroup_TypedMembersWinOverFreeForm()
    {
        var e = new AccountCreatedEvent
        {
            AccountId = "acc1",
            AccountName = "Acme",
            Properties = new Dictionary<string, object?> { ["account_name"] = "Wrong", ["plan"] = "pro" },
        }.ToEvent();

        Assert.Equal("account_created", e.EventName);
        Assert.Equal("acc1", e.Context!.GroupId);
        Assert.Equal("Acme", e.Properties!["account_name"]);
        Assert.Equal("pro", e.Properties["plan"]);
        Assert.Null(e.UserId); // taken from the request, or required outside one
    }

    [Fact]
    public void ToEvent_GroupIdSet_Wins()
        => Assert.Equal("team-7", new AccountAddedUserEvent { AccountId = "acc1", GroupId = "team-7" }.ToEvent().Context!.GroupId);

    [Theory]
    [InlineData("18f716ac-37a4-464f-adb7-3cc30032308c")] // an id where the e-mail goes
    [InlineData("Admin")]
    [InlineData("ann @acme.test")]
    [InlineData("ann@acme")]
    [InlineData("@acme.test")]
    public async Task EmailMember_NotAnEmail_DroppedAsInvalidAndLogged(string notAnEmail)
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        var accepted = host.Tracker.Track(new InviteSentEvent { UserId = "u1", InviteeEmail = notAnEmail, InviteeRole = "admin" });

        Assert.False(accepted);
        Assert.Equal(1, host.Dropped.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], DropReasons.Invalid)).Sum(m => m.Value));
        var line = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == LogEvents.EventInvalid);
        Assert.Contains("invitee_email", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(notAnEmail, line.Message, StringComparison.Ordinal); // never a value in the log
    }

    [Theory]
    [InlineData("ann@acme.test", true)]
    [InlineData("first.last+tag@sub.acme.co.uk", true)]
    [InlineData("a@b@c.d", false)]
    [InlineData("ann@", false)]
    public void LooksLikeEmail_WhatTheTypeCanTell(string text, bool expected)
        => Assert.Equal(expected, EventValidator.LooksLikeEmail(text));

    [Fact]
    public async Task FreeFormTrack_WithAnEmailProperty_CheckedTheSameWay()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        Assert.False(host.Tracker.Track("signed_up", new() { ["user_email"] = "u-42" }, userId: "u-42"));
        Assert.True(host.Tracker.Track("signed_up", new() { ["user_email"] = "ann@acme.test" }, userId: "u-42"));
    }
}
