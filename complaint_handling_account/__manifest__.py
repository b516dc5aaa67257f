{
    "name": "Complaint Handling - Invoicing",
    "summary": "Link complaints to the customer invoices and credit notes they are about",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-handling/complaint_handling",
    "author": "Complaint Handling contributors",
    "license": "LGPL-3",
    "depends": ["complaint_handling", "account"],
    "data": [
        "views/complaint_complaint_views.xml",
        "views/account_move_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
