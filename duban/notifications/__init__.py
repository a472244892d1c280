"""Notifications (通知): the in-app inbox and the emails that go with it. Other apps call
`services.notify`; see README.md beside this file."""
