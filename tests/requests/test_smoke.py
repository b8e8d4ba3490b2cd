def test_home_page_is_french(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert "Accueil" in response.text and "Défis" in response.text
