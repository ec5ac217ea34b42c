// Share buttons call the minimal API, which is a tracked feature (share_report).
document.querySelectorAll("button.share").forEach(button => {
    button.addEventListener("click", async () => {
        const response = await fetch(`/api/reports/${button.dataset.report}/share`, { method: "POST" });
        button.textContent = response.ok ? "Shared" : "Could not share";
    });
});
