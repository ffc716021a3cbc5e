def test_home_page_renders(client, site_root):
    response = client.get("/")
    assert response.status_code == 200
    assert "Die Arbeitsgruppe Digitalisierung der Stadt Plauen." in response.content.decode()


def test_admin_dashboard_shows_workgroup_panels(admin_client, site_root):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Zusammensetzung der Fraktionen" in content
    assert "Halbjahresbericht an den Verwaltungsausschuss" in content
