using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Tests.Events;

public class EventNameConventionTests
{
    [Theory]
    [InlineData("signed_up")]
    [InlineData("account_created")]
    [InlineData("feature_used")]
    [InlineData("invite_sent")]
    [InlineData("profile_completed")]
    [InlineData("page_visit")]
    [InlineData("account_added_user")]
    [InlineData("report_exported")]
    [InlineData("user_logged_in")]
    [InlineData("plan_opted_out")]
    [InlineData("report_shared")]
    [InlineData("payment_method_set")]
    [InlineData("v2_report_built")]
    public void IsConventional_ObjectAndPastTenseVerb_True(string name)
        => Assert.True(EventNameConvention.IsConventional(name));

    [Theory]
    [InlineData("SignUp")]
    [InlineData("signup")]
    [InlineData("user_signup_event")]
    [InlineData("create_account")]
    [InlineData("new_account")]
    [InlineData("event_12")]
    [InlineData("clicked")]
    [InlineData("send_invite")]
    [InlineData("invitation")]
    [InlineData("profile_done")]
    [InlineData("onboarding")]
    [InlineData("Report_Exported")]
    [InlineData("report__exported")]
    [InlineData("report_exported_")]
    [InlineData("_report_exported")]
    [InlineData("report-exported")]
    [InlineData("logged_in")]
    [InlineData("")]
    public void IsConventional_BrokenName_False(string name)
        => Assert.False(EventNameConvention.IsConventional(name));
}
