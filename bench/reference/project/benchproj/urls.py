from dmr.routing import path

from benchproj.views import JwtController, PublicController

urlpatterns = [
    path('api/jwt/', JwtController.as_view()),
    path('api/public/', PublicController.as_view()),
]
