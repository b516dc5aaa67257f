{
    "name": "Complaint Handling - Scale",
    "summary": "Opt-in speed layer for registers above ~100,000 complaints: pre-aggregated counts for kanban "
    "columns, pivots and the KPI analysis",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-handling/complaint_handling",
    "author": "Complaint Handling contributors",
    "license": "LGPL-3",
    "depends": ["complaint_handling_reports"],
    "data": [
        "data/complaint_count_summary_cron_data.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
