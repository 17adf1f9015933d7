from omzien.accounts import permissions


def test_host_hosts_own_place_only(host_benring, benring, trefpunt):
    assert list(permissions.hosting_places(host_benring)) == [benring]
    assert permissions.can_host_place(host_benring, benring)
    assert not permissions.can_host_place(host_benring, trefpunt)
    assert not permissions.overview_places(host_benring).exists()


def test_professional_hosts_and_overviews_everywhere(professional, benring, trefpunt):
    assert set(permissions.hosting_places(professional)) == {benring, trefpunt}
    assert set(permissions.overview_places(professional)) == {benring, trefpunt}


def test_viewer_sees_no_people_anywhere(viewer, benring, trefpunt):
    assert not permissions.hosting_places(viewer).exists()
    assert not permissions.overview_places(viewer).exists()


def test_coordinator_overviews_own_place(coordinator_trefpunt, benring, trefpunt):
    assert list(permissions.overview_places(coordinator_trefpunt)) == [trefpunt]
