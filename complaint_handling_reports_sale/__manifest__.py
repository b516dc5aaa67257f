{
    "name": "Complaint Handling - Sales Reports",
    "summary": "Complaint rate per product and month: complaints per 1,000 order lines and per quantity sold",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-handling/complaint_handling",
    "author": "Complaint Handling contributors",
    "license": "LGPL-3",
    "depends": ["complaint_handling_reports", "complaint_handling_sale", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/complaint_rate_report_security.xml",
        "views/complaint_rate_report_views.xml",
        "views/complaint_handling_reports_sale_menus.xml",
    ],
    "auto_install": True,
    "installable": True,
}
